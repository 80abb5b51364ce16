using OrderEvents.CustomCode.Functions;

namespace OrderEvents.CustomCode.Tests.Storage;

/// <summary>One reader of the custom code's options for both hosts (Logic Apps and local).</summary>
[TestClass]
public sealed class CustomCodeOptions_Specs
{
    private static Func<string, string?> Settings(params (string Name, string Value)[] values) =>
        name => values.FirstOrDefault(v => v.Name == name).Value;

    [TestMethod]
    public void Set_values_override_the_defaults()
    {
        var options = CustomCodeOptions.FromSettings(Settings(("Lake_Container", "lake-test"), ("Idempotency_Container", "claims"), ("Orders_ClaimCheckThresholdBytes", "65536")));

        Assert.AreEqual("lake-test", options.LakeContainer);
        Assert.AreEqual("claims", options.IdempotencyContainer);
        Assert.AreEqual(65536, options.ClaimCheckThresholdBytes);
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("not a number")]
    [DataRow("0")]
    [DataRow("-5")]
    public void Absent_empty_or_unusable_values_keep_the_defaults(string threshold)
    {
        var options = CustomCodeOptions.FromSettings(Settings(("Lake_Container", " "), ("Orders_ClaimCheckThresholdBytes", threshold)));

        Assert.AreEqual(new CustomCodeOptions(), options);
    }
}
