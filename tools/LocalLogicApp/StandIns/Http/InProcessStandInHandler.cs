using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace LocalLogicApp.StandIns.Http;

/// <summary>
/// Hands a request addressed to a stand-in's <see cref="HttpStandIn.BaseUri"/> to that stand-in directly, in this
/// process, instead of over a loopback socket: the stand-in handles it exactly as it handles a request its server
/// received (<see cref="HttpStandIn.SendAsync"/>: operation, faults, records, answer), and the answer comes back as the
/// HTTP response the socket would have carried. Any other request goes to <c>inner</c>. The local host uses it when asked
/// (<c>LocalHostOptions.CallStandInsInProcess</c>): a simulated day spent a fifth of its CPU in Kestrel and the socket
/// handler for calls that never leave the process.
/// </summary>
public sealed class InProcessStandInHandler(IReadOnlyList<HttpStandIn> standIns, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var target = request.RequestUri is { } uri ? Addressed(uri) : null;
        if (target is null) return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in request.Headers) headers[header.Key] = string.Join(",", header.Value);
        var body = "";
        if (request.Content is { } content)
        {
            foreach (var header in content.Headers) headers[header.Key] = string.Join(",", header.Value);
            body = await content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        }
        var query = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in request.RequestUri!.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=');
            var name = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            query[name] = equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..]);
        }
        var answer = await target.SendAsync(new StandInRequest(
            request.Method.Method.ToUpperInvariant(), Uri.UnescapeDataString(request.RequestUri.AbsolutePath), query, headers, body), cancellationToken).ConfigureAwait(false);

        var response = new HttpResponseMessage((HttpStatusCode)answer.StatusCode) { RequestMessage = request };
        var contentType = "application/json; charset=utf-8";
        foreach (var (name, value) in answer.Headers ?? new Dictionary<string, string>())
        {
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)) contentType = value;
            else response.Headers.TryAddWithoutValidation(name, value);
        }
        // The body's compact JSON as UTF-8, what StringContent(Body.ToString(Formatting.None), UTF8) carried (its
        // text/plain Content-Type was always replaced by the answer's), without the string in between.
        response.Content = new ByteArrayContent(answer.Body is null ? [] : CompactUtf8(answer.Body));
        if (answer.Body is not null) response.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return response;
    }

    [ThreadStatic]
    private static StringBuilder? keptText;

    /// <summary><c>Encoding.UTF8.GetBytes(body.ToString(Formatting.None))</c>, the text written into a builder kept per
    /// thread (nothing awaits while it is in use; one grown beyond 64 K characters is not kept).</summary>
    private static byte[] CompactUtf8(JToken body)
    {
        var text = keptText ?? new StringBuilder(1024);
        keptText = null;
        text.Clear();
        using (var writer = new JsonTextWriter(new StringWriter(text, CultureInfo.InvariantCulture)) { Formatting = Formatting.None })
        {
            body.WriteTo(writer);
        }
        byte[] bytes;
        if (text.GetChunks() is var chunks && chunks.MoveNext() && chunks.Current.Length == text.Length)
        {
            var span = chunks.Current.Span;
            bytes = new byte[Encoding.UTF8.GetByteCount(span)];
            Encoding.UTF8.GetBytes(span, bytes);
        }
        else
        {
            bytes = Encoding.UTF8.GetBytes(text.ToString());
        }
        if (text.Capacity <= 64 * 1024) keptText = text;
        return bytes;
    }

    /// <summary>The started stand-in whose authority the request names. The ports are compared first: <c>Uri.Authority</c>
    /// builds a string on every read, and the stand-ins listen on ports of their own.</summary>
    private HttpStandIn? Addressed(Uri uri)
    {
        var port = uri.Port;
        foreach (var standIn in standIns)
        {
            if (standIn.IsStarted && standIn.BaseUri.Port == port && standIn.BaseUri.Authority == uri.Authority) return standIn;
        }
        return null;
    }
}
