using System.Security.Cryptography;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;

namespace OrderEvents.CustomCode.Storage;

/// <summary>
/// Signs each attempt of a Blob request with the account key ("Authorize with Shared Key", the string-to-sign of
/// service version 2009-09-19 and later): a fresh <c>x-ms-date</c>, then <c>Authorization: SharedKey
/// {account}:{base64 HMAC-SHA256(key, string-to-sign)}</c>. Registered per retry so a retried request is re-dated
/// and re-signed.
/// </summary>
internal sealed class SharedKeyAuthenticationPolicy(StorageAccountKey account) : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message)
    {
        var request = message.Request;
        request.Headers.SetValue("x-ms-date", DateTimeOffset.UtcNow.ToString("r", System.Globalization.CultureInfo.InvariantCulture));
        var signature = Sign(StringToSign(request));
        request.Headers.SetValue("Authorization", $"SharedKey {account.AccountName}:{signature}");
    }

    internal string Sign(string stringToSign)
    {
        using var hmac = new HMACSHA256(account.Key);
        return Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(stringToSign)));
    }

    /// <summary>VERB, the standard headers (Content-Length empty when zero; Date empty because x-ms-date is sent),
    /// the canonicalized x-ms-* headers, then the canonicalized resource.</summary>
    internal string StringToSign(Request request)
    {
        string Header(string name) => request.Headers.TryGetValue(name, out var value) ? value : "";
        long contentLength = 0;
        if (request.Content is not null && request.Content.TryComputeLength(out var length))
        {
            contentLength = length;
        }

        var builder = new StringBuilder()
            .Append(request.Method.Method).Append('\n')
            .Append(Header("Content-Encoding")).Append('\n')
            .Append(Header("Content-Language")).Append('\n')
            .Append(contentLength == 0 ? "" : contentLength.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append('\n')
            .Append(Header("Content-MD5")).Append('\n')
            .Append(Header("Content-Type")).Append('\n')
            .Append('\n') // Date: x-ms-date is used instead
            .Append(Header("If-Modified-Since")).Append('\n')
            .Append(Header("If-Match")).Append('\n')
            .Append(Header("If-None-Match")).Append('\n')
            .Append(Header("If-Unmodified-Since")).Append('\n')
            .Append(Header("Range")).Append('\n');

        foreach (var header in request.Headers
                     .Where(h => h.Name.StartsWith("x-ms-", StringComparison.OrdinalIgnoreCase))
                     .Select(h => (Name: h.Name.ToLowerInvariant(), Value: h.Value.Trim()))
                     .OrderBy(h => h.Name, StringComparer.Ordinal))
        {
            builder.Append(header.Name).Append(':').Append(header.Value).Append('\n');
        }

        var uri = request.Uri.ToUri();
        builder.Append('/').Append(account.AccountName).Append(uri.AbsolutePath.Length > 0 ? uri.AbsolutePath : "/");
        var query = uri.Query.TrimStart('?');
        if (query.Length > 0)
        {
            var parameters = query.Split('&', StringSplitOptions.RemoveEmptyEntries)
                .Select(pair => pair.Split('=', 2))
                .Select(pair => (Name: Uri.UnescapeDataString(pair[0]).ToLowerInvariant(), Value: pair.Length > 1 ? Uri.UnescapeDataString(pair[1]) : ""))
                .GroupBy(p => p.Name)
                .OrderBy(g => g.Key, StringComparer.Ordinal);
            foreach (var parameter in parameters)
            {
                builder.Append('\n').Append(parameter.Key).Append(':')
                    .Append(string.Join(",", parameter.Select(p => p.Value).OrderBy(v => v, StringComparer.Ordinal)));
            }
        }
        return builder.ToString();
    }
}
