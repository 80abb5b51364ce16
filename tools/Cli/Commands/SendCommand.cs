using System.Net.Http.Headers;
using System.Text;
using LocalLogicApp.Hosting;
using LocalLogicApp.Reporting;
using LocalLogicApp.Samples;
using TestSupport;

namespace Cli.Commands;

/// <summary>
/// <c>send [--url URL] [--invalid] [--token TOKEN]</c>: posts the valid sample orders (with <c>--invalid</c> also the
/// invalid ones) to the intake of a running <c>run</c>, in business order, and prints each answer. Without
/// <c>--url</c> the intake address comes from <c>.local/running-app.json</c>, which <c>run</c> writes. When the local
/// intake asks for a token (EasyAuth_* settings) and none is given, the local issuer's token for the allowed
/// publisher is sent, as <c>token</c> would print it.
/// </summary>
public static class SendCommand
{
    public static async Task<int> RunAsync(CliArgs args)
    {
        var root = RepositoryRoot.Find();
        var url = args.Get("url") is { } given
            ? (Uri.TryCreate(given, UriKind.Absolute, out var parsed) && (parsed.Scheme == Uri.UriSchemeHttp || parsed.Scheme == Uri.UriSchemeHttps)
                ? parsed
                : throw new CliUsageException($"--url takes the intake's http:// or https:// address (as 'run' prints it), not '{given}'."))
            : RunningAppFile.ReadIntakeUrl(root)
              ?? throw new CliUsageException("no running app found (.local/running-app.json is missing): start one with 'run' in another terminal, or pass --url.");

        var samples = SampleOrders.Valid(root).Concat(args.Has("invalid") ? SampleOrders.Invalid(root) : []).ToArray();
        if (samples.Length == 0)
        {
            Console.Error.WriteLine($"No samples under {Path.Combine(root, SampleOrders.Folder)}.");
            return 1;
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        if ((args.Get("token") ?? TokenCommand.AcceptedTokenOrNull(root)) is { } token)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        var unexpected = 0;
        foreach (var sample in samples)
        {
            using var content = new StringContent(sample.Text, Encoding.UTF8);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            try
            {
                using var response = await http.PostAsync(url, content);
                var body = await response.Content.ReadAsStringAsync();
                var expected = new IntakeResult(sample, (int)response.StatusCode, body).AsExpected;
                if (!expected) unexpected++;
                Console.WriteLine($"{(expected ? "ok  " : "FAIL")} {(int)response.StatusCode} {(sample.IsValid ? "valid  " : "invalid")} {sample.Name}: {OneLine(body)}");
            }
            catch (HttpRequestException ex)
            {
                Console.Error.WriteLine($"Cannot reach the intake at {url}: {ex.Message}");
                return 1;
            }
        }
        return unexpected == 0 ? 0 : 1;
    }

    private static string OneLine(string text)
    {
        var flat = text.ReplaceLineEndings(" ");
        return flat.Length <= 200 ? flat : flat[..200] + "…";
    }
}
