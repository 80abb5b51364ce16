namespace OrderEvents.CustomCode.Tests.Conventions;

[TestClass]
public sealed class When_the_repository_is_checked_every_name_follows_the_conventions
{
    [TestMethod]
    public void Every_name_in_the_repository_follows_the_conventions()
    {
        var violations = NamingConventions.Check(RepositoryRoot.FullPath);

        Assert.AreEqual(0, violations.Count, string.Join("\n", violations));
    }
}
