namespace Workflows.Runtime.Tests.Expressions;

[TestClass]
public sealed class UriFunctions_Specs
{
    [TestMethod]
    public void Uri_parts_follow_System_Uri()
    {
        const string uri = "'https://user@www.contoso.com:8443/catalog/shownew.htm?date=today#top'";
        Assert.AreEqual("www.contoso.com", Wdl.Text($"uriHost({uri})"));
        Assert.AreEqual("/catalog/shownew.htm", Wdl.Text($"uriPath({uri})"));
        Assert.AreEqual("/catalog/shownew.htm?date=today", Wdl.Text($"uriPathAndQuery({uri})"));
        Assert.AreEqual(8443L, (long)Wdl.Eval($"uriPort({uri})"));
        Assert.AreEqual("?date=today", Wdl.Text($"uriQuery({uri})"));
        Assert.AreEqual("https", Wdl.Text($"uriScheme({uri})"));
    }

    [TestMethod]
    public void Missing_parts_take_their_defaults()
    {
        Assert.AreEqual("/", Wdl.Text("uriPath('http://contoso.com')"));
        Assert.AreEqual(80L, (long)Wdl.Eval("uriPort('http://contoso.com')"));
        Assert.AreEqual("", Wdl.Text("uriQuery('http://contoso.com/a')"));
    }

    [TestMethod]
    public void A_relative_or_malformed_uri_fails()
    {
        StringAssert.Contains(Wdl.Error("uriHost('/relative/path')"), "'uriHost'");
        StringAssert.Contains(Wdl.Error("uriHost('not a uri')"), "not a valid absolute URI");
    }
}
