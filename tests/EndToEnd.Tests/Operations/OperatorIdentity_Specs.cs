using System.Text;
using LocalLogicApp.Operations;

namespace EndToEnd.Tests.Operations;

[TestClass]
public sealed class OperatorIdentity_Specs
{
    [TestMethod]
    public void The_object_id_and_upn_are_read_from_the_access_token()
    {
        var identity = OperatorIdentity.FromAccessToken(Jwt("""{"oid":"5f1c-oid","upn":"ops@contoso.example","aud":"https://servicebus.azure.net"}"""));

        Assert.AreEqual(new OperatorIdentity("5f1c-oid", "ops@contoso.example"), identity);
    }

    [TestMethod]
    public void A_token_without_an_object_id_or_not_a_jwt_names_nobody()
    {
        Assert.IsNull(OperatorIdentity.FromAccessToken(Jwt("""{"sub":"x"}""")));
        Assert.IsNull(OperatorIdentity.FromAccessToken("not-a-token"));
        Assert.IsNull(OperatorIdentity.FromAccessToken("a.%%%.c"));
    }

    private static string Jwt(string payload) =>
        "eyJhbGciOiJub25lIn0." + Convert.ToBase64String(Encoding.UTF8.GetBytes(payload)).TrimEnd('=').Replace('+', '-').Replace('/', '_') + ".sig";
}
