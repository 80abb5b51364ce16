using ServiceBus.Local.Filters;
using ServiceBus.Local.Messages;

namespace ServiceBus.Local.Tests.Filters;

/// <summary>The SQL filter language of https://learn.microsoft.com/azure/service-bus-messaging/service-bus-messaging-sql-filter, case by case, on one message:
/// user properties color='blue', quantity=10 (Int32), price=2.5, priority=null, flag=true, name='ABC%def', big=5L;
/// system Label='Order created', MessageId='m-1', To='Store5', CorrelationId='abc-123'.</summary>
[TestClass]
public sealed class SqlFilter_Specs
{
    private static BrokerMessage Sample()
    {
        var m = new BrokerMessage { Subject = "Order created", MessageId = "m-1", To = "Store5", CorrelationId = "abc-123", SequenceNumber = 42 };
        m.ApplicationProperties["color"] = "blue";
        m.ApplicationProperties["quantity"] = 10;
        m.ApplicationProperties["price"] = 2.5;
        m.ApplicationProperties["priority"] = null;
        m.ApplicationProperties["flag"] = true;
        m.ApplicationProperties["name"] = "ABC%def";
        m.ApplicationProperties["big"] = 5L;
        m.ApplicationProperties["Property With Space"] = "yes";
        m.ApplicationProperties["http://schemas.microsoft.com/xrm/2011/Claims/EntityLogicalName"] = "account";
        return m;
    }

    private static bool Matches(string filter) => new SqlRuleFilter(filter).Matches(Sample());

    [TestMethod]
    [DataRow("color = 'blue'", true)]
    [DataRow("color = 'Blue'", false)]
    [DataRow("color <> 'red'", true)]
    [DataRow("color != 'blue'", false)]
    [DataRow("quantity > 9 AND quantity >= 10 AND quantity < 11 AND quantity <= 10", true)]
    [DataRow("quantity = 10.0", true)]
    [DataRow("price > 2.08", true)]
    [DataRow("price = 25E-1", true)]
    [DataRow("color = 'blue' AND quantity = 10", true)]
    [DataRow("flag = TRUE", true)]
    [DataRow("flag", true)]
    [DataRow("TRUE", true)]
    [DataRow("FALSE", false)]
    [DataRow("1=1", true)]
    [DataRow("1 != 1", false)]
    public void Comparisons_follow_the_documented_operators(string filter, bool expected) => Assert.AreEqual(expected, Matches(filter), filter);

    [TestMethod]
    [DataRow("missing = 1", false)]
    [DataRow("NOT (missing = 1)", false)]
    [DataRow("missing = 1 OR color = 'blue'", true)]
    [DataRow("missing = 1 AND color = 'blue'", false)]
    [DataRow("missing = 1 OR color = 'red'", false)]
    [DataRow("NOT (missing = 1 AND color = 'red')", true)]
    [DataRow("missing + 1 = 2", false)]
    [DataRow("-missing = 1", false)]
    [DataRow("priority = NULL", false)]
    [DataRow("missing LIKE 'a%'", false)]
    [DataRow("missing IN ('a', 'b')", false)]
    [DataRow("missing NOT IN ('a', 'b')", false)]
    public void Unknown_values_follow_three_valued_logic_and_an_unknown_filter_does_not_match(string filter, bool expected) =>
        Assert.AreEqual(expected, Matches(filter), filter);

    [TestMethod]
    [DataRow("priority IS NULL", true)]
    [DataRow("missing IS NULL", true)]
    [DataRow("color IS NULL", false)]
    [DataRow("color IS NOT NULL", true)]
    [DataRow("EXISTS(priority)", true)]
    [DataRow("EXISTS(missing)", false)]
    [DataRow("EXISTS(sys.Label)", true)]
    [DataRow("EXISTS(sys.ReplyTo)", false)]
    [DataRow("NOT EXISTS(missing)", true)]
    public void Null_tests_and_exists_distinguish_absent_null_and_present(string filter, bool expected) =>
        Assert.AreEqual(expected, Matches(filter), filter);

    [TestMethod]
    [DataRow("color LIKE 'bl%'", true)]
    [DataRow("color LIKE 'b_ue'", true)]
    [DataRow("color LIKE 'b_e'", false)]
    [DataRow("color NOT LIKE 'r%'", true)]
    [DataRow("name LIKE 'ABC\\%%' ESCAPE '\\'", true)]
    [DataRow("name LIKE 'ABC\\%' ESCAPE '\\'", false)]
    [DataRow("name LIKE 'ABC!%def' ESCAPE '!'", true)]
    [DataRow("sys.Label LIKE '%created'", true)]
    [DataRow("sys.CorrelationId like 'abc-%'", true)]
    public void Like_matches_percent_and_underscore_and_honours_escape(string filter, bool expected) =>
        Assert.AreEqual(expected, Matches(filter), filter);

    [TestMethod]
    [DataRow("color IN ('red', 'blue')", true)]
    [DataRow("color IN ('red', 'green')", false)]
    [DataRow("color NOT IN ('red', 'green')", true)]
    [DataRow("quantity IN (1, 10, 100)", true)]
    [DataRow("sys.To IN ('Store5','Store6','Store7') OR StoreId = 'Store8'", true)]
    public void In_tests_membership(string filter, bool expected) => Assert.AreEqual(expected, Matches(filter), filter);

    [TestMethod]
    [DataRow("quantity / 4 = 2", true)]
    [DataRow("quantity / 4.0 = 2.5", true)]
    [DataRow("quantity % 3 = 1", true)]
    [DataRow("quantity * price = 25", true)]
    [DataRow("big + quantity = 15", true)]
    [DataRow("-quantity = -10", true)]
    [DataRow("+quantity - 1 = 9", true)]
    [DataRow("1 + 2 * 3 = 7", true)]
    [DataRow("(1 + 2) * 3 = 9", true)]
    [DataRow("color + '-' + quantity = 'blue-10'", true)]
    [DataRow("'n' + flag = 'nTrue'", true)]
    public void Arithmetic_uses_csharp_numeric_promotion_and_string_concatenation(string filter, bool expected) =>
        Assert.AreEqual(expected, Matches(filter), filter);

    [TestMethod]
    [DataRow("COLOR = 'blue'", true)]
    [DataRow("user.color = 'blue'", true)]
    [DataRow("USER.Color = 'blue'", true)]
    [DataRow("sys.label = 'Order created'", true)]
    [DataRow("SYS.MESSAGEID = 'm-1'", true)]
    [DataRow("sys.SequenceNumber = 42", true)]
    [DataRow("Label = 'Order created'", false)]
    [DataRow("[Property With Space] = 'yes'", true)]
    [DataRow("user.[color] = 'blue'", true)]
    [DataRow("\"http://schemas.microsoft.com/xrm/2011/Claims/EntityLogicalName\" = 'account'", true)]
    [DataRow("color = 'it''s'", false)]
    public void Scopes_names_and_identifiers_resolve_case_insensitively(string filter, bool expected) =>
        Assert.AreEqual(expected, Matches(filter), filter);

    [TestMethod]
    public void A_string_literal_doubles_its_single_quotes()
    {
        var m = new BrokerMessage();
        m.ApplicationProperties["note"] = "it's";
        Assert.IsTrue(new SqlRuleFilter("note = 'it''s'").Matches(m));
    }

    [TestMethod]
    public void Delimited_identifiers_double_their_closing_bracket()
    {
        var m = new BrokerMessage();
        m.ApplicationProperties["a]b"] = 1;
        Assert.IsTrue(new SqlRuleFilter("[a]]b] = 1").Matches(m));
    }

    [TestMethod]
    public void Property_function_reads_a_property_named_by_an_expression()
    {
        Assert.IsTrue(Matches("property('col' + 'or') = 'blue'"));
        Assert.IsTrue(Matches("p('sys.To') = 'Store5'"));
    }

    [TestMethod]
    public void Parameters_are_bound_by_name()
    {
        var filter = new SqlRuleFilter("quantity > @min AND color = @color", new Dictionary<string, object?> { ["@min"] = 5, ["@color"] = "blue" });
        Assert.IsTrue(filter.Matches(Sample()));
    }

    [TestMethod]
    [DataRow("sys.Nonexistent = 'x'")]
    [DataRow("color > 5")]
    [DataRow("quantity / 0 = 1")]
    [DataRow("quantity LIKE '1%'")]
    [DataRow("color")]
    [DataRow("flag < TRUE")]
    public void Evaluation_errors_raise_a_filter_exception(string filter) =>
        Assert.ThrowsExactly<FilterException>(() => Matches(filter), filter);

    [TestMethod]
    [DataRow("color = ", 9)]
    [DataRow("color = 'blue", 9)]
    [DataRow("color = 'blue' AND", 19)]
    [DataRow("(color = 'blue'", 16)]
    [DataRow("foo.bar = 1", 1)]
    [DataRow("color IN ()", 11)]
    [DataRow("color # 1", 7)]
    [DataRow("AND = 1", 1)]
    [DataRow("", 1)]
    public void Parse_errors_report_the_column(string filter, int column)
    {
        var ex = Assert.ThrowsExactly<FilterException>(() => new SqlRuleFilter(filter));
        StringAssert.Contains(ex.Message, $"column {column}.");
        Assert.IsNotNull(ex.Position);
    }
}
