using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Contracts;
using OrderEvents.CustomCode.Mapping.Sms;

namespace Workflows.Tests.Infrastructure;

/// <summary>
/// The Sms_&lt;EventType&gt;Template app settings reach <see cref="SmsTemplates"/> as overrides. A template the library
/// rejects makes MapToSms skip every message as InvalidTemplate: the message completes and no SMS is ever sent. So every
/// template the IaC deploys is checked with the library's own validation.
/// </summary>
[TestClass]
public sealed partial class When_SMS_templates_are_deployed_the_library_accepts_them
{
    [TestMethod]
    public void Every_SMS_template_the_template_deploys_passes_the_SmsTemplates_validation()
    {
        var settings = AppSettings.Evaluated(RepositoryFiles.MainTemplate());
        var problems = Problems(settings);
        Assert.IsEmpty(problems, string.Join("\n", problems));
        Assert.HasCount(OrderEventTypes.All.Count, TemplateSettings(settings), "one template setting per event type");
    }

    [TestMethod]
    public void A_template_with_a_placeholder_the_library_does_not_allow_is_reported()
    {
        var settings = new JObject
        {
            ["Sms_OrderCreatedTemplate"] = "Hi {customerName}, we received your order {orderId} ({amount} {currency}).",
            ["Sms_OrderUpdatedTemplate"] = "Hi {firstName}, your order {orderId} was updated.",
        };

        var problems = Problems(settings);

        Assert.HasCount(1, problems);
        StringAssert.Contains(problems[0], "Sms_OrderCreatedTemplate");
        StringAssert.Contains(problems[0], "UnknownPlaceholder");
    }

    [TestMethod]
    public void A_template_for_an_event_type_that_does_not_exist_is_reported()
    {
        var problems = Problems(new JObject { ["Sms_OrderShippedTemplate"] = "Hi {firstName}." });
        Assert.HasCount(1, problems);
        StringAssert.Contains(problems[0], "OrderShipped");
    }

    private static IEnumerable<(string Setting, string EventType, string Template)> TemplateSettings(JObject settings) =>
        settings.Properties().Select(p => (p, m: SmsTemplateSetting().Match(p.Name))).Where(x => x.m.Success)
            .Select(x => (x.p.Name, x.m.Groups[1].Value, (string?)x.p.Value ?? ""));

    private static List<string> Problems(JObject settings)
    {
        var problems = new List<string>();
        foreach (var (setting, eventType, template) in TemplateSettings(settings))
        {
            if (!OrderEventTypes.All.Contains(eventType))
            {
                problems.Add($"{setting}: no event type '{eventType}' ({string.Join(", ", OrderEventTypes.All)}).");
                continue;
            }
            var errors = new List<ContractError>();
            SmsTemplates.Select(eventType, new JObject { [eventType] = template }, errors);
            problems.AddRange(errors.Select(e => $"{setting}: {e.Code} {e.Message}"));
        }
        return problems;
    }

    [GeneratedRegex(@"^Sms_([A-Za-z]+)Template$")]
    private static partial Regex SmsTemplateSetting();
}
