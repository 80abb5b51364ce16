using System.Net;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;
using OrderEvents.CustomCode.Storage;
using OrderEvents.CustomCode.Tests.Azurite;
using TestSupport.Azurite;

namespace OrderEvents.CustomCode.Tests.Storage;

/// <summary>The Blob store's HTTP conversation as the Blob SDK holds it: headers it sends, statuses it interprets,
/// retries, authentication and error messages. Against a scripted transport (what Azurite cannot show: Entra, 503s,
/// lost responses) and against Azurite (what only the real service protocol shows).</summary>
[TestClass]
public sealed class BlobObjectStore_Specs
{
    private static readonly SharedAzurite.Hold Shared = new();

    private static AzuriteBlobProcess? Azurite => Shared.Process;

    [ClassInitialize]
    public static Task StartAzurite(TestContext context) => Shared.AcquireAsync();

    [ClassCleanup]
    public static Task StopAzurite() => Shared.ReleaseAsync();

    [TestMethod]
    public async Task A_create_is_one_put_blob_with_if_none_match_star_and_returns_the_new_etag()
    {
        var transport = new ScriptedService((HttpStatusCode.Created, null));
        var store = SharedKeyStore(transport);

        var etag = await store.TryCreateAsync("idempotency", "sap-fulfillment/k.json", "{}"u8.ToArray(), "application/json");

        Assert.AreEqual(ScriptedService.ETag, etag);
        var request = transport.Requests.Single();
        Assert.AreEqual("PUT", request.Method);
        Assert.AreEqual("https://acct.blob.core.windows.net/idempotency/sap-fulfillment/k.json", request.Uri);
        Assert.AreEqual("*", request.Headers["If-None-Match"]);
        Assert.AreEqual("BlockBlob", request.Headers["x-ms-blob-type"]);
        Assert.AreEqual("application/json", request.Headers["x-ms-blob-content-type"]);
        Assert.IsTrue(request.Headers.ContainsKey("x-ms-version"), "the SDK names the service version it speaks");
        StringAssert.StartsWith(request.Headers["Authorization"], "SharedKey acct:");
    }

    [TestMethod]
    public async Task A_replace_is_one_put_blob_with_if_match_on_the_given_etag_and_returns_the_new_etag()
    {
        var transport = new ScriptedService((HttpStatusCode.Created, null));

        var etag = await SharedKeyStore(transport).TryReplaceAsync("idempotency", "k.json", "{}"u8.ToArray(), "application/json", "\"0x8DC0FFEE\"");

        Assert.AreEqual(ScriptedService.ETag, etag);
        var request = transport.Requests.Single();
        Assert.AreEqual("PUT", request.Method);
        Assert.AreEqual("\"0x8DC0FFEE\"", request.Headers["If-Match"]);
        Assert.IsFalse(request.Headers.ContainsKey("If-None-Match"));
    }

    [TestMethod]
    public async Task A_conflict_409_blob_already_exists_means_not_created_and_costs_no_second_request()
    {
        var transport = new ScriptedService((HttpStatusCode.Conflict, "BlobAlreadyExists"));

        Assert.IsNull(await SharedKeyStore(transport).TryCreateAsync("idempotency", "k.json", "{}"u8.ToArray(), "application/json"));
        Assert.AreEqual(1, transport.Requests.Count);
    }

    [TestMethod]
    public async Task A_precondition_failed_412_means_the_replace_lost_the_race()
    {
        var transport = new ScriptedService((HttpStatusCode.PreconditionFailed, "ConditionNotMet"));

        Assert.IsNull(await SharedKeyStore(transport).TryReplaceAsync("idempotency", "k.json", "{}"u8.ToArray(), "application/json", "\"0x1\""));
        Assert.AreEqual(1, transport.Requests.Count);
    }

    [TestMethod]
    public async Task Transient_503s_are_retried_by_the_pipeline()
    {
        var transport = new ScriptedService((HttpStatusCode.ServiceUnavailable, "ServerBusy"), (HttpStatusCode.ServiceUnavailable, "ServerBusy"), (HttpStatusCode.Created, null));

        Assert.IsNotNull(await SharedKeyStore(transport).TryCreateAsync("idempotency", "k.json", "{}"u8.ToArray(), "application/json"));
        Assert.AreEqual(3, transport.Requests.Count);
        Assert.IsTrue(transport.Requests.All(r => r.Headers.ContainsKey("x-ms-date")), "each attempt is dated and signed again");
    }

    [TestMethod]
    public async Task A_create_whose_first_response_was_lost_recognises_its_own_blob_on_the_retry()
    {
        var transport = new ScriptedService(
            (HttpStatusCode.InternalServerError, "InternalError"), // the blob was written, the response lost
            (HttpStatusCode.Conflict, "BlobAlreadyExists"),
            (HttpStatusCode.OK, null));
        transport.Body = "{\"mine\":1}"u8.ToArray();

        Assert.AreEqual(ScriptedService.ETag, await SharedKeyStore(transport).TryCreateAsync("idempotency", "k.json", "{\"mine\":1}"u8.ToArray(), "application/json"));
        Assert.AreEqual("GET", transport.Requests[2].Method);
    }

    [TestMethod]
    public async Task A_retried_create_that_meets_someone_elses_blob_is_not_created()
    {
        var transport = new ScriptedService(
            (HttpStatusCode.InternalServerError, "InternalError"),
            (HttpStatusCode.Conflict, "BlobAlreadyExists"),
            (HttpStatusCode.OK, null));
        transport.Body = "{\"theirs\":1}"u8.ToArray();

        Assert.IsNull(await SharedKeyStore(transport).TryCreateAsync("idempotency", "k.json", "{\"mine\":1}"u8.ToArray(), "application/json"));
    }

    [TestMethod]
    public async Task A_write_into_a_missing_container_creates_it_and_writes_again()
    {
        var transport = new ScriptedService((HttpStatusCode.NotFound, "ContainerNotFound"), (HttpStatusCode.Created, null), (HttpStatusCode.Created, null));

        Assert.IsNotNull(await SharedKeyStore(transport).TryCreateAsync("new-container", "k.json", "{}"u8.ToArray(), "application/json"));
        Assert.AreEqual("https://acct.blob.core.windows.net/new-container?restype=container", transport.Requests[1].Uri);
        Assert.AreEqual(transport.Requests[0].Uri, transport.Requests[2].Uri);
    }

    [TestMethod]
    public async Task With_microsoft_entra_each_request_carries_a_bearer_token_for_the_storage_scope()
    {
        var transport = new ScriptedService((HttpStatusCode.Created, null));
        var credential = new RecordingCredential();
        var store = BlobObjectStore.WithTokenCredential(new Uri("https://acct.blob.core.windows.net"), credential, Options(transport));

        Assert.IsNotNull(await store.TryCreateAsync("idempotency", "k.json", "{}"u8.ToArray(), "application/json"));

        var scope = credential.Scopes.Distinct().Single();
        StringAssert.StartsWith(scope, "https://storage.azure.com/");
        StringAssert.EndsWith(scope, "/.default");
        Assert.AreEqual("Bearer token-for-test", transport.Requests.Single().Headers["Authorization"]);
    }

    [TestMethod]
    public async Task A_refused_request_names_operation_object_status_and_error_code_but_never_the_key_or_signature()
    {
        var wrongKey = $"AccountName=devstoreaccount1;AccountKey={Convert.ToBase64String(Encoding.UTF8.GetBytes("not-the-key-of-this-account"))};BlobEndpoint={Azurite!.BlobEndpoint}";
        var options = new BlobObjectStoreOptions();
        options.Retry.MaxRetries = 0;
        var store = BlobObjectStore.FromConnectionString(wrongKey, options);

        var ex = await Assert.ThrowsAsync<ObjectStoreException>(() => store.TryCreateAsync("idempotency", "k.json", "{}"u8.ToArray(), "application/json"));

        Assert.AreEqual(403, ex.Status);
        Assert.AreEqual("AuthorizationFailure", ex.Code);
        StringAssert.Contains(ex.Message, "create 'idempotency/k.json'");
        StringAssert.Contains(ex.Message, "403");
        Assert.IsFalse(ex.Message.Contains(Convert.ToBase64String(Encoding.UTF8.GetBytes("not-the-key-of-this-account")), StringComparison.Ordinal));
        Assert.IsFalse(ex.Message.Contains("SharedKey", StringComparison.Ordinal));
        Assert.IsFalse(ex.ToString().Contains("signature", StringComparison.OrdinalIgnoreCase) && ex.ToString().Contains("MAC", StringComparison.Ordinal));
    }

    [TestMethod]
    public async Task Azurite_accepts_the_shared_key_signature_of_every_operation_with_escaped_names()
    {
        var store = TestStore.Create(StoreKind.Azurite, Azurite).Store;
        const string name = "deadletters/sap-fulfillment/year=2026/month=03/x y+z~(1)&'!$,;@.json";
        var container = TestStore.NewContainer("sign");

        Assert.IsNotNull(await store.TryCreateAsync(container, name, "1"u8.ToArray(), "application/json"));
        var read = await store.ReadAsync(container, name);
        Assert.IsNotNull(await store.TryReplaceAsync(container, name, "2"u8.ToArray(), "application/json", read!.ETag));
        var names = new List<string>();
        await foreach (var listed in store.ListAsync(container, "deadletters/sap-fulfillment/year=2026/"))
        {
            names.Add(listed);
        }
        Assert.IsTrue(await store.TryDeleteAsync(container, name, (await store.ReadAsync(container, name))!.ETag));
        CollectionAssert.AreEqual(new[] { name }, names);
    }

    private static BlobObjectStoreOptions Options(ScriptedService transport)
    {
        var options = new BlobObjectStoreOptions { Transport = new HttpClientTransport(new HttpClient(transport)) };
        options.Retry.Delay = TimeSpan.FromMilliseconds(1);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(5);
        return options;
    }

    private static BlobObjectStore SharedKeyStore(ScriptedService transport) =>
        BlobObjectStore.FromConnectionString($"DefaultEndpointsProtocol=https;AccountName=acct;AccountKey={Convert.ToBase64String(new byte[32])};EndpointSuffix=core.windows.net", Options(transport));

    private sealed record SeenRequest(string Method, string Uri, Dictionary<string, string> Headers);

    /// <summary>Answers each request with the next scripted status and x-ms-error-code, recording what it saw.</summary>
    private sealed class ScriptedService(params (HttpStatusCode Status, string? ErrorCode)[] script) : HttpMessageHandler
    {
        public const string ETag = "\"0x8DD5A1B2C3D4E5F\"";
        private int next;

        public List<SeenRequest> Requests { get; } = [];

        public byte[] Body { get; set; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var headers = request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
                .ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
            Requests.Add(new SeenRequest(request.Method.Method, request.RequestUri!.AbsoluteUri, headers));
            var (status, errorCode) = script[Math.Min(next++, script.Length - 1)];
            var failed = (int)status >= 400;
            // Failures carry the service's XML error body, as Blob Storage and Azurite send it.
            var response = new HttpResponseMessage(status)
            {
                Content = new ByteArrayContent(status == HttpStatusCode.OK ? Body
                    : failed ? Encoding.UTF8.GetBytes($"<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>{errorCode}</Code><Message>Scripted {errorCode}.\nRequestId:scripted</Message></Error>")
                    : []),
            };
            response.Headers.TryAddWithoutValidation("ETag", ETag);
            response.Content.Headers.TryAddWithoutValidation("Last-Modified", "Sun, 01 Mar 2026 08:00:00 GMT");
            response.Content.Headers.TryAddWithoutValidation("Content-Type", failed ? "application/xml" : "application/json");
            if (errorCode is not null)
            {
                response.Headers.TryAddWithoutValidation("x-ms-error-code", errorCode);
            }
            return Task.FromResult(response);
        }
    }

    private sealed class RecordingCredential : TokenCredential
    {
        public List<string> Scopes { get; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Scopes.AddRange(requestContext.Scopes);
            return new AccessToken("token-for-test", DateTimeOffset.UtcNow.AddHours(1));
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new(GetToken(requestContext, cancellationToken));
    }
}
