using System.Text;
using Newtonsoft.Json.Linq;

namespace EndToEnd.Tests.Operations;

[TestClass]
public sealed class When_an_operator_purges_dead_letters_they_are_deleted_and_the_purge_is_audited
{
    [TestMethod]
    public async Task The_broker_held_dead_letters_are_gone_and_one_audit_line_counts_them()
    {
        await using var desk = DeadLetterDesk.Open();
        await desk.PublishOrderAsync("100482");
        await desk.SmsSubscriberFailsAsync();
        await desk.PublishOrderAsync("100483");
        await desk.SmsSubscriberFailsAsync();

        var purged = await desk.Operations.PurgeAsync("sms-notification", includeArchive: false, CancellationToken.None);

        Assert.AreEqual(2, purged);
        Assert.IsEmpty(await desk.Operations.ListAsync(includeArchive: true, CancellationToken.None));
        var audits = new List<string>();
        await foreach (var name in desk.Lake.ListAsync(DeadLetterDesk.LakeContainer, "audit/deadletters/")) audits.Add(name);
        var audit = JObject.Parse(Encoding.UTF8.GetString((await desk.Lake.ReadAsync(DeadLetterDesk.LakeContainer, audits.Single()))!.Content.Span));
        Assert.AreEqual("purge", audit.Value<string>("action"));
        Assert.AreEqual(2, audit.Value<int>("count"));
        Assert.AreEqual(DeadLetterDesk.Operator.Id, audit.Value<string>("by"));
        Assert.AreEqual(DeadLetterDesk.Operator.Name, audit.Value<string>("byName"));
    }
}
