using Microsoft.Data.Sqlite;
using static Workflows.Tests.CommandLine.CommandLineRun;

namespace Workflows.Tests.CommandLine;

/// <summary>
/// A user's mistake on the command line is refused with what is wrong and what is expected, a non-zero exit code and
/// no stack trace, before the verb starts anything or writes anything.
/// </summary>
[TestClass]
public sealed class BadInput_Specs
{
    private string folder = "";

    [TestInitialize]
    public void Create() => folder = Directory.CreateTempSubdirectory("cli-bad-input-").FullName;

    [TestCleanup]
    public void Remove() => Directory.Delete(folder, recursive: true);

    [TestMethod]
    public async Task An_option_that_takes_a_value_given_none_is_refused_instead_of_running_with_the_default()
    {
        var (code, output, errors) = await RunAsync("simulate", "--orders");

        Assert.AreEqual(2, code);
        Assert.AreEqual("", output);
        StringAssert.StartsWith(errors, "simulate: --orders needs a value (--orders 100000).");
    }

    [TestMethod]
    public async Task A_switch_given_a_value_is_refused()
    {
        var (code, _, errors) = await RunAsync("simulate", "--loopback-http=yes");

        Assert.AreEqual(2, code);
        StringAssert.StartsWith(errors, "simulate: --loopback-http is a switch and takes no value, not 'yes'.");
    }

    [TestMethod]
    public void The_word_after_a_switch_is_not_taken_as_its_value()
    {
        var args = new Cli.CliArgs(["show", "--json", "RUN1"], new HashSet<string> { "json" });

        Assert.IsTrue(args.Has("json"));
        Assert.IsNull(args.Get("json"));
        CollectionAssert.AreEqual(new[] { "show", "RUN1" }, args.Positionals.ToArray());
    }

    [TestMethod]
    public async Task A_word_the_verb_does_not_take_is_refused()
    {
        var (code, _, errors) = await RunAsync("simulate", "--orders", "10", "extra");

        Assert.AreEqual(2, code);
        StringAssert.StartsWith(errors, "simulate: unexpected word 'extra'. Usage: orders simulate");
    }

    [TestMethod]
    public async Task An_option_with_one_dash_is_refused_saying_options_take_two()
    {
        var (code, _, errors) = await RunAsync("simulate", "-orders", "10");

        Assert.AreEqual(2, code);
        StringAssert.StartsWith(errors, "simulate: '-orders' is not an option: an option starts with two dashes (--orders). Usage: orders simulate");
    }

    [TestMethod]
    [DataRow("runs", "list", "-top", "3")]
    [DataRow("deadletters", "list", "-subscriber", "sms-notification")]
    [DataRow("runs", "list", "-json", null)]
    public async Task An_option_with_one_dash_is_named_even_where_the_verb_takes_words(string verb, string word, string option, string? value)
    {
        string[] args = value is null ? [verb, word, option] : [verb, word, option, value];

        var (code, _, errors) = await RunAsync(args);

        Assert.AreEqual(2, code);
        StringAssert.StartsWith(errors, $"{verb}: '{option}' is not an option: an option starts with two dashes (-{option}). Usage: orders {verb}");
    }

    [TestMethod]
    public async Task A_whole_number_out_of_its_range_is_refused_naming_the_range()
    {
        var (code, _, errors) = await RunAsync("benchmark", "mapping", "--warmup", "-5");

        Assert.AreEqual(2, code);
        StringAssert.StartsWith(errors, "benchmark mapping: --warmup takes a whole number, 0 or more, not '-5'.");
    }

    [TestMethod]
    public async Task A_number_too_large_for_a_port_is_refused_naming_the_range()
    {
        var (code, _, errors) = await RunAsync("servicebus", "serve", "--port", "99999999999");

        Assert.AreEqual(2, code);
        StringAssert.StartsWith(errors, "servicebus serve: --port takes a whole number from 0 to 65535, not '99999999999'.");
    }

    [TestMethod]
    public async Task A_speed_that_is_not_a_number_is_refused_even_when_it_parses_as_one()
    {
        var (code, _, errors) = await RunAsync("simulate", "--speed", "NaN");

        Assert.AreEqual(2, code);
        StringAssert.StartsWith(errors, "simulate: --speed takes simulated seconds per wall-clock second (above 0, at most 10000), not 'NaN'.");
    }

    [TestMethod]
    public async Task A_file_option_naming_a_folder_is_refused()
    {
        var (code, _, errors) = await RunAsync("wdl", "eval", "--cases", folder);

        Assert.AreEqual(2, code);
        StringAssert.StartsWith(errors, $"wdl eval: --cases takes a file; '{folder}' is a folder.");
    }

    [TestMethod]
    public async Task A_folder_option_naming_a_file_is_refused()
    {
        var file = Path.Combine(folder, "state.json");
        File.WriteAllText(file, "{}");

        var (code, _, errors) = await RunAsync("servicebus", "serve", "--state", file);

        Assert.AreEqual(2, code);
        StringAssert.StartsWith(errors, $"servicebus serve: --state takes a folder; '{file}' is a file.");
    }

    [TestMethod]
    public async Task A_path_through_a_file_is_refused_before_anything_is_written()
    {
        var file = Path.Combine(folder, "not-a-folder");
        File.WriteAllText(file, "");
        var output = Path.Combine(file, "logicapp.zip");

        var (code, _, errors) = await RunAsync("package", "--output", output, "--allow-missing-custom-code", "--allow-missing-sap");

        Assert.AreEqual(2, code);
        StringAssert.StartsWith(errors, $"package: --output: '{output}' cannot exist: '{file}' is a file, not a folder.");
    }

    [TestMethod]
    public async Task A_report_folder_that_cannot_be_created_is_named_before_the_day_starts()
    {
        if (!OperatingSystem.IsLinux()) Assert.Inconclusive("/proc refuses new folders on Linux only");
        var state = Path.Combine(folder, "state");

        var (code, _, errors) = await RunAsync("simulate", "--orders", "10", "--report", "/proc/no-report-here", "--state", state);

        Assert.AreEqual(2, code);
        StringAssert.StartsWith(errors, "simulate: --report: the folder '/proc/no-report-here' cannot be created (");
        Assert.IsFalse(errors.Contains("day:", StringComparison.Ordinal), "the day did not start");
        Assert.IsFalse(Directory.Exists(state), "nothing was written to the state folder");
    }

    [TestMethod]
    public async Task A_speed_at_which_messages_would_expire_unprocessed_is_refused_with_the_fastest_allowed()
    {
        var state = Path.Combine(folder, "state");

        var (code, _, errors) = await RunAsync("simulate", "--orders", "10", "--speed", "1000", "--state", state);

        Assert.AreEqual(2, code);
        StringAssert.StartsWith(errors, "simulate: --speed 1000: the shortest time to live of the Service Bus topology (PT1H, ");
        StringAssert.Contains(errors, "would last 3.6 s of wall time");
        StringAssert.Contains(errors, "Use at most --speed 360.");
        Assert.IsFalse(Directory.Exists(state), "nothing was written to the state folder");
    }

    [TestMethod]
    public async Task A_group_word_alone_lists_the_verbs_of_the_group()
    {
        var (code, _, errors) = await RunAsync("benchmark");

        Assert.AreEqual(2, code);
        StringAssert.StartsWith(errors, "'benchmark' takes one of mapping, idempotency, broker, engine.");
        Assert.IsFalse(errors.Contains("  simulate ", StringComparison.Ordinal), "only the group's verbs are listed");
    }

    [TestMethod]
    public async Task A_simulation_given_a_state_folder_holding_other_files_refuses_and_removes_nothing()
    {
        var precious = Path.Combine(folder, "thesis.txt");
        File.WriteAllText(precious, "not a simulated day's state");

        var (code, _, errors) = await RunAsync("simulate", "--orders", "10", "--state", folder);

        Assert.AreEqual(2, code);
        StringAssert.Contains(errors, "holds files and no simulated day has used it");
        Assert.IsTrue(File.Exists(precious));
    }

    [TestMethod]
    public async Task The_dead_letter_tool_on_a_state_folder_with_a_broken_broker_database_names_it_and_changes_nothing()
    {
        var database = Path.Combine(folder, "servicebus.db");
        var garbage = Enumerable.Range(0, 4096).Select(i => (byte)(i * 7)).ToArray();
        File.WriteAllBytes(database, garbage);

        var (code, _, errors) = await RunAsync("deadletters", "list", "--state", folder);

        Assert.AreEqual(1, code);
        StringAssert.StartsWith(errors, $"deadletters: {database} is not the local broker's state: SQLite cannot read it");
        CollectionAssert.AreEqual(garbage, File.ReadAllBytes(database));
        CollectionAssert.AreEqual(new[] { "servicebus.db" }, Directory.GetFileSystemEntries(folder).Select(Path.GetFileName).ToArray(), "nothing claimed or created");
    }

    [TestMethod]
    public async Task The_broker_is_not_created_inside_a_database_of_another_kind()
    {
        var database = Path.Combine(folder, "servicebus.db");
        using (var connection = new SqliteConnection($"Data Source={database};Pooling=False"))
        {
            connection.Open();
            using var create = connection.CreateCommand();
            create.CommandText = "CREATE TABLE invoices (id INTEGER)";
            create.ExecuteNonQuery();
        }
        var before = File.ReadAllBytes(database);

        var (code, _, errors) = await RunAsync("servicebus", "serve", "--port", "0", "--state", folder);

        Assert.AreEqual(1, code);
        StringAssert.StartsWith(errors, $"servicebus serve: {database} is a SQLite database of another kind (tables invoices), not the local broker's state.");
        CollectionAssert.AreEqual(before, File.ReadAllBytes(database));
    }

    [TestMethod]
    [Timeout(120_000, CooperativeCancellation = true)]
    public async Task A_subscriber_that_is_no_subscription_of_the_topic_is_refused_rather_than_matching_nothing()
    {
        File.WriteAllBytes(Path.Combine(folder, "servicebus.db"), []); // a broker state with nothing in it yet

        var (code, _, errors) = await RunAsync("deadletters", "purge", "--subscriber", "sap-fulfilment", "--yes", "--state", folder);

        Assert.AreEqual(2, code);
        StringAssert.StartsWith(errors, "deadletters: --subscriber must name a subscriber: sap-fulfillment, ");
        StringAssert.Contains(errors, "not 'sap-fulfilment'.");
    }

    [TestMethod]
    public async Task A_lake_given_for_the_local_broker_is_refused_rather_than_ignored()
    {
        var (code, _, errors) = await RunAsync("deadletters", "list", "--lake", "https://account.blob.core.windows.net", "--state", folder);

        Assert.AreEqual(2, code);
        StringAssert.StartsWith(errors, "deadletters: --lake names the Azure Data Lake of --namespace or --connection-string");
    }

    [TestMethod]
    public async Task A_run_id_left_out_is_named_before_the_state_folder_is_opened()
    {
        var (code, _, errors) = await RunAsync("runs", "show", "--json", "--state", Path.Combine(folder, "no-such-state"));

        Assert.AreEqual(2, code);
        StringAssert.StartsWith(errors, "runs: give the run id shown by 'runs list'.");
    }

    [TestMethod]
    public async Task A_sequence_number_that_is_not_a_number_is_named_before_the_broker_is_opened()
    {
        var (code, _, errors) = await RunAsync("deadletters", "show", "seven", "--state", Path.Combine(folder, "no-such-state"));

        Assert.AreEqual(2, code);
        StringAssert.StartsWith(errors, "deadletters: 'seven' is not a sequence number");
    }

    [TestMethod]
    public async Task An_intake_address_that_is_not_http_is_refused()
    {
        var (code, _, errors) = await RunAsync("send", "--url", "ftp://localhost/intake");

        Assert.AreEqual(2, code);
        StringAssert.StartsWith(errors, "send: --url takes the intake's http:// or https:// address");
    }

    [TestMethod]
    public async Task A_timeout_without_once_is_refused_instead_of_serving_until_stopped()
    {
        var (code, _, errors) = await RunAsync("run", "--timeout", "5");

        Assert.AreEqual(2, code);
        StringAssert.StartsWith(errors, "run: --timeout is for 'run --once'");
    }

    [TestMethod]
    public async Task A_parameters_file_without_parameters_is_refused()
    {
        var template = Path.Combine(folder, "template.json");
        var parameters = Path.Combine(folder, "parameters.json");
        File.WriteAllText(template, """{ "resources": [] }""");
        File.WriteAllText(parameters, """{ "resources": [] }""");

        var (code, _, errors) = await RunAsync("preflight", "--iac", template, "--iac-parameters", parameters);

        Assert.AreEqual(2, code);
        StringAssert.StartsWith(errors, $"preflight: --iac-parameters: {parameters} has no \"parameters\" object");
    }
}
