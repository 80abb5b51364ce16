using System.Diagnostics;

namespace Workflows.Tests.Pipeline;

/// <summary>
/// The intake's SAS is off and App Service authentication takes a Microsoft Entra token; Learn ("Secure access and data
/// in Azure Logic Apps", access for inbound calls to request-based triggers) says a call may use only one authorization
/// scheme, both at once is an error. So the smoke test posts to the callback URL without its SAS query parameters
/// (<c>sp</c>, <c>sv</c>, <c>sig</c>), keeping the others (<c>.github/scripts/lib/callback-url.sh</c>).
/// </summary>
[TestClass]
public sealed class When_the_smoke_test_posts_with_a_token_the_callback_URL_carries_no_SAS
{
    private static string WithoutSas(string url)
    {
        var start = new ProcessStartInfo("bash", ["-c", "set -euo pipefail; source \"$0\"; without_sas \"$1\"", RepositoryRoot.PathOf(".github/scripts/lib/callback-url.sh"), url])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var bash = Process.Start(start)!;
        var output = bash.StandardOutput.ReadToEnd();
        var errors = bash.StandardError.ReadToEnd();
        bash.WaitForExit();
        Assert.AreEqual(0, bash.ExitCode, errors);
        return output.TrimEnd('\n');
    }

    [TestMethod]
    public void The_signature_version_and_permissions_are_dropped_and_the_api_version_kept()
    {
        Assert.AreEqual("https://orders-dev.azurewebsites.net:443/api/OrderIntake/triggers/When_an_order_event_is_posted/invoke?api-version=2022-05-01",
            WithoutSas("https://orders-dev.azurewebsites.net:443/api/OrderIntake/triggers/When_an_order_event_is_posted/invoke?api-version=2022-05-01&sp=%2Ftriggers%2FWhen_an_order_event_is_posted%2Frun&sv=1.0&sig=c2lnbmF0dXJl"));
    }

    [TestMethod]
    public void A_URL_of_SAS_parameters_only_loses_its_query()
    {
        Assert.AreEqual("https://example.test/invoke", WithoutSas("https://example.test/invoke?sig=abc&sp=x&sv=1.0"));
    }

    [TestMethod]
    public void A_URL_without_a_query_is_kept_as_it_is()
    {
        Assert.AreEqual("https://example.test/invoke", WithoutSas("https://example.test/invoke"));
    }

    [TestMethod]
    public void A_parameter_whose_name_only_starts_like_a_SAS_one_is_kept()
    {
        Assert.AreEqual("https://example.test/invoke?signature=1&spx=2", WithoutSas("https://example.test/invoke?signature=1&sig=3&spx=2"));
    }
}
