using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Functions;
using OrderEvents.CustomCode.Storage;
using OrderEvents.CustomCode.Tests.Mapping;

namespace OrderEvents.CustomCode.Tests.Functions;

/// <summary>
/// The catalog calls each function through a delegate compiled once (not <c>MethodBase.Invoke</c>): binding and calling
/// behave as they did. Optional parameters left out take their declared defaults, value types included; parameters that
/// do not bind, unknown functions and faults are reported with the catalog's codes.
/// </summary>
[TestClass]
public sealed class When_the_catalog_binds_and_calls_a_function_it_reports_what_went_wrong_by_code
{
    private static readonly DateTimeOffset Now = new(2024, 5, 1, 9, 30, 0, TimeSpan.Zero);

    private static FunctionCatalog Catalog(IObjectStore? store = null) =>
        new(new OrderEventFunctions(new CustomCodeServices(store ?? new InMemoryObjectStore(), new FixedClock(Now), new CustomCodeOptions())));

    [TestMethod]
    public async Task An_optional_int_left_out_takes_its_declared_default()
    {
        var begun = (JObject)await Catalog().InvokeAsync("BeginIdempotency", new JObject { ["consumer"] = "sms", ["key"] = "key-1" });

        Assert.AreEqual("Started", (string?)begun["state"]);
        Assert.AreEqual(Now.AddSeconds(300).UtcDateTime, DateTimeOffset.Parse((string)begun["leaseExpiresUtc"]!).UtcDateTime);
    }

    [TestMethod]
    public async Task An_int_given_as_a_JSON_integer_is_bound_and_used()
    {
        var begun = (JObject)await Catalog().InvokeAsync("BeginIdempotency", new JObject { ["consumer"] = "sms", ["key"] = "key-1", ["leaseSeconds"] = 60 });

        Assert.AreEqual(Now.AddSeconds(60).UtcDateTime, DateTimeOffset.Parse((string)begun["leaseExpiresUtc"]!).UtcDateTime);
    }

    [TestMethod]
    public async Task An_unknown_function_is_FunctionNotFound()
    {
        var failure = await Assert.ThrowsExactlyAsync<FunctionInvocationException>(() => Catalog().InvokeAsync("NoSuchFunction", new JObject()));

        Assert.AreEqual("FunctionNotFound", failure.Code);
    }

    [TestMethod]
    public async Task An_unknown_parameter_a_missing_required_one_and_one_of_the_wrong_type_are_InvalidFunctionParameters()
    {
        var catalog = Catalog();
        var unknown = await Assert.ThrowsExactlyAsync<FunctionInvocationException>(() =>
            catalog.InvokeAsync("BeginIdempotency", new JObject { ["consumer"] = "sms", ["key"] = "k", ["colour"] = "red" }));
        var missing = await Assert.ThrowsExactlyAsync<FunctionInvocationException>(() =>
            catalog.InvokeAsync("BeginIdempotency", new JObject { ["consumer"] = "sms" }));
        var wrongType = await Assert.ThrowsExactlyAsync<FunctionInvocationException>(() =>
            catalog.InvokeAsync("BeginIdempotency", new JObject { ["consumer"] = "sms", ["key"] = "k", ["leaseSeconds"] = "soon" }));

        Assert.AreEqual("InvalidFunctionParameters", unknown.Code);
        StringAssert.Contains(unknown.Message, "'colour'");
        Assert.AreEqual("InvalidFunctionParameters", missing.Code);
        StringAssert.Contains(missing.Message, "'key'");
        Assert.AreEqual("InvalidFunctionParameters", wrongType.Code);
        StringAssert.Contains(wrongType.Message, "'leaseSeconds'");
    }

    [TestMethod]
    public async Task A_fault_inside_a_function_is_FunctionFailed_with_the_fault_s_own_message()
    {
        var failure = await Assert.ThrowsExactlyAsync<FunctionInvocationException>(() =>
            Catalog(new FailingStore()).InvokeAsync("WriteOrderToLake", new JObject { ["orderEvent"] = OrderEventSamples.Event() }));

        Assert.AreEqual("FunctionFailed", failure.Code);
        StringAssert.Contains(failure.Message, "the disk is gone");
        Assert.IsInstanceOfType<IOException>(failure.InnerException);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private sealed class FailingStore : IObjectStore
    {
        public Task<string?> TryCreateAsync(string container, string name, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken = default) =>
            throw new IOException("the disk is gone");

        public Task<StoredObject?> ReadAsync(string container, string name, CancellationToken cancellationToken = default) => throw new IOException("the disk is gone");

        public Task<string?> TryReplaceAsync(string container, string name, ReadOnlyMemory<byte> content, string contentType, string ifMatchETag, CancellationToken cancellationToken = default) =>
            throw new IOException("the disk is gone");

        public Task<bool> TryDeleteAsync(string container, string name, string ifMatchETag, CancellationToken cancellationToken = default) => throw new IOException("the disk is gone");

        public IAsyncEnumerable<string> ListAsync(string container, string prefix, CancellationToken cancellationToken = default) => throw new IOException("the disk is gone");
    }
}
