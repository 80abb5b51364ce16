namespace Workflows.Runtime.Tests;

[TestClass]
public sealed class SmokeTests
{
    [TestMethod]
    public void Catalog_placeholder() => Assert.AreEqual(2, 1 + 1);
}
