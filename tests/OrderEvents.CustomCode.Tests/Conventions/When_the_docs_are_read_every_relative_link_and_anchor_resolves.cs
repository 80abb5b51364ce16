namespace OrderEvents.CustomCode.Tests.Conventions;

/// <summary>
/// README.md is the front door and docs/ the manual: a link that leads nowhere loses a newcomer at the first click. Every
/// relative link of README.md and docs/**/*.md names a file or folder of the repository, and every <c>#anchor</c> a
/// heading of the Markdown file it points to, as GitHub writes heading anchors (<see cref="MarkdownLinks"/>). A heading
/// renamed or a file moved fails here, naming the file, the line and the link.
/// </summary>
[TestClass]
public sealed class When_the_docs_are_read_every_relative_link_and_anchor_resolves
{
    private string fixture = null!;

    [TestInitialize]
    public void CreateFixtureFolder() => fixture = Directory.CreateTempSubdirectory("markdown-links-").FullName;

    [TestCleanup]
    public void DeleteFixtureFolder() => Directory.Delete(fixture, recursive: true);

    [TestMethod]
    public void Every_relative_link_and_anchor_of_the_readme_and_the_docs_resolves()
    {
        var docs = Directory.EnumerateFiles(RepositoryRoot.PathOf("docs"), "*.md", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(RepositoryRoot.FullPath, path))
            .Prepend("README.md")
            .ToList();

        var broken = MarkdownLinks.Broken(RepositoryRoot.FullPath, docs);

        Assert.IsGreaterThanOrEqualTo(10, docs.Count, "README.md and docs/ were not found");
        Assert.IsEmpty(broken, "broken links:\n" + string.Join("\n", broken));
    }

    [TestMethod]
    public void A_link_to_a_missing_file_or_heading_is_reported_with_its_line()
    {
        Write("docs/guide.md", "# Guide\n\n## Settlement (`DecideSettlement`)\n");
        Write("README.md", "See [the guide](docs/guide.md#settlement-decidesettlement).\n" +
                           "[Gone](docs/gone.md) and [no heading](docs/guide.md#retries).\n" +
                           "[Up](../elsewhere.md)\n");

        var broken = MarkdownLinks.Broken(fixture, ["README.md", "docs/guide.md"]);

        CollectionAssert.AreEqual(new[]
        {
            "README.md:2: docs/gone.md (no such file)",
            "README.md:2: docs/guide.md#retries (no heading 'retries' in docs/guide.md)",
            "README.md:3: ../elsewhere.md (outside the repository)",
        }, broken.ToArray());
    }

    [TestMethod]
    public void Links_in_code_and_links_to_the_web_are_not_checked()
    {
        Write("README.md", "`[not a link](missing.md)` and [web](https://learn.microsoft.com/azure/#x)\n" +
                           "```\n[in a fence](missing.md)\n# not a heading\n```\n" +
                           "[here](#a-heading)\n\n## A heading\n");

        Assert.IsEmpty(MarkdownLinks.Broken(fixture, ["README.md"]));
    }

    [TestMethod]
    public void A_heading_anchor_is_lower_case_without_punctuation_and_with_a_hyphen_per_space()
    {
        Assert.AreEqual("entity-size-quota-a-full-queue-or-topic-refuses-sends", MarkdownLinks.Slug("Entity size quota: a full queue or topic refuses sends"));
        Assert.AreEqual("settlement-decidesettlement", MarkdownLinks.Slug("Settlement (`DecideSettlement`)"));
        Assert.AreEqual("order-events-power-platform--azure-service-bus", MarkdownLinks.Slug("Order events: Power Platform → Azure Service Bus"));
        Assert.AreEqual("garbage-collection-two-heaps-2026-12-06-4-am", MarkdownLinks.Slug("Garbage collection: two heaps (2026-12-06, 4 a.m.)"));
        Assert.AreEqual("see-the-docs", MarkdownLinks.Slug("See [the docs](docs/)"));
    }

    [TestMethod]
    public void A_repeated_heading_gets_a_numbered_anchor()
    {
        var anchors = MarkdownLinks.Anchors(["## Differences from Azure", "text", "## Differences from Azure", "<a name=\"kept\"></a>"]);

        CollectionAssert.AreEquivalent(new[] { "differences-from-azure", "differences-from-azure-1", "kept" }, anchors.ToArray());
    }

    private void Write(string relativePath, string content)
    {
        var path = Path.Combine(fixture, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }
}
