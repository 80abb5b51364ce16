using System.Globalization;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using Newtonsoft.Json.Linq;
using Workflows.Runtime.Bindings;

namespace LocalLogicApp.StandIns.Dataverse;

/// <summary>
/// The Microsoft Dataverse connector (<c>shared_commondataserviceforapps</c>) over <see cref="DataverseStandIn"/>, with
/// the connector's operation ids and parameter names as cloud flow definitions carry them (Learn, "Microsoft Dataverse"
/// connector reference, https://learn.microsoft.com/connectors/commondataserviceforapps/): <c>ListRecords</c> (List
/// rows: <c>entityName</c>, <c>$filter</c>, <c>$top</c>), <c>GetItem</c> (Get a row by ID), <c>CreateRecord</c>
/// (Add a new row, columns as <c>item/&lt;column&gt;</c>), <c>UpdateRecord</c> (Update a row), <c>PerformUnboundAction</c>
/// (only <c>RetrieveEnvironmentVariableSecretValue</c>) and the trigger <c>SubscribeWebhookTrigger</c> ("When a row is
/// added, modified or deleted": <c>subscriptionRequest/message</c> 1 Added, 2 Deleted, 3 Modified, 4 Added or Modified,
/// 5 Added or Deleted, 6 Modified or Deleted, 7 any; <c>subscriptionRequest/entityname</c>; <c>subscriptionRequest/scope</c>).
/// The stand-in's <c>$filter</c> knows <c>column eq value</c> terms joined by <c>and</c>; anything else is refused with a
/// clear error rather than answered wrongly.
/// </summary>
public sealed class DataverseConnector(DataverseStandIn dataverse) : IOpenApiConnectionBinding
{
    public const string Name = "shared_commondataserviceforapps";

    public string ApiName => Name;

    public Task<ConnectorResponse> InvokeAsync(OpenApiConnectionRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var p = request.Parameters;
            ConnectorResponse response = request.OperationId switch
            {
                "ListRecords" => new(200, new JObject { ["value"] = new JArray(ListRecords(EntitySet(p), p.Value<string>("$filter"), p["$top"]?.Value<int?>())) }),
                "GetItem" => new(200, dataverse.Get(EntitySet(p).LogicalName, RecordId(p))),
                "CreateRecord" => new(201, dataverse.Create(EntitySet(p).LogicalName, Item(p))),
                "UpdateRecord" => new(200, dataverse.Update(EntitySet(p).LogicalName, RecordId(p), Item(p))),
                "PerformUnboundAction" => new(200, UnboundAction(p)),
                _ => Error(400, "OperationNotSupported", $"The Dataverse stand-in has no operation '{request.OperationId}'."),
            };
            return Task.FromResult(response);
        }
        catch (DataverseException ex)
        {
            return Task.FromResult(Error(ex.StatusCode, ex.Code, ex.Message));
        }
    }

    public async Task RunWebhookTriggerAsync(OpenApiConnectionRequest trigger, Func<JObject, CancellationToken, Task> fire, CancellationToken cancellationToken)
    {
        if (trigger.OperationId != "SubscribeWebhookTrigger")
            throw new NotSupportedException($"The Dataverse stand-in has no trigger '{trigger.OperationId}'.");
        var p = trigger.Parameters;
        var logicalName = p.Value<string>("subscriptionRequest/entityname") ?? "";
        if (dataverse.TableByLogicalName(logicalName) is null)
            throw new InvalidOperationException($"Flow '{trigger.WorkflowName}' subscribes to the table '{logicalName}', which the Dataverse stand-in does not have.");
        var messages = Messages(p["subscriptionRequest/message"]?.Value<int?>() ?? 0, trigger.WorkflowName);
        if (p["subscriptionRequest/filteringattributes"] is not null || p["subscriptionRequest/filterexpression"] is not null)
            throw new NotSupportedException($"Flow '{trigger.WorkflowName}': the Dataverse stand-in does not filter trigger rows (filteringattributes, filterexpression).");

        // Dataverse runs flows after the change is saved, not inside it: changes queue here and fire one by one.
        var changes = Channel.CreateUnbounded<DataverseChange>();
        using var subscription = dataverse.Subscribe(change =>
        {
            if (change.Table.LogicalName.Equals(logicalName, StringComparison.OrdinalIgnoreCase) && messages.Contains(change.Message)) changes.Writer.TryWrite(change);
        });
        try
        {
            await foreach (var change in changes.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                var body = (JObject)change.Row.DeepClone();
                body["SdkMessage"] = change.Message;
                await fire(new JObject { ["headers"] = new JObject(), ["body"] = body }, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private static HashSet<string> Messages(int code, string flow) => code switch
    {
        1 => ["Create"],
        2 => ["Delete"],
        3 => ["Update"],
        4 => ["Create", "Update"],
        5 => ["Create", "Delete"],
        6 => ["Update", "Delete"],
        7 => ["Create", "Update", "Delete"],
        _ => throw new InvalidOperationException($"Flow '{flow}': subscriptionRequest/message {code} is not a change type (1 to 7)."),
    };

    private DataverseTable EntitySet(JObject parameters)
    {
        var name = parameters.Value<string>("entityName") ?? "";
        return dataverse.TableByEntitySet(name) ?? throw new DataverseException(404, "0x80060888", $"Resource not found for the segment '{name}'.");
    }

    private static Guid RecordId(JObject parameters) =>
        Guid.TryParse(parameters.Value<string>("recordId"), out var id)
            ? id
            : throw new DataverseException(400, "0x80060891", $"The row id '{parameters.Value<string>("recordId")}' is not a GUID.");

    /// <summary>The columns of an add or update: the <c>item/&lt;column&gt;</c> parameters.</summary>
    private static JObject Item(JObject parameters)
    {
        var item = new JObject();
        foreach (var property in parameters.Properties().Where(p => p.Name.StartsWith("item/", StringComparison.Ordinal)))
            item[property.Name["item/".Length..]] = property.Value.DeepClone();
        return item;
    }

    private JObject UnboundAction(JObject parameters)
    {
        var action = parameters.Value<string>("actionName");
        if (action != "RetrieveEnvironmentVariableSecretValue")
            throw new DataverseException(404, "0x80060888", $"The Dataverse stand-in has no unbound action '{action}'.");
        var name = parameters.Value<string>("item/EnvironmentVariableName") ?? "";
        return dataverse.SecretEnvironmentVariables.TryGetValue(name, out var value)
            ? new JObject { ["EnvironmentVariableSecretValue"] = value }
            : throw new DataverseException(404, "0x80048d0b", $"The environment variable '{name}' has no secret value.");
    }

    private static readonly Regex FilterTerm = new(@"^\s*(?<column>[A-Za-z_][A-Za-z0-9_]*)\s+eq\s+(?:'(?<text>(?:[^']|'')*)'|(?<bare>[^\s']+))\s*$", RegexOptions.CultureInvariant);

    private IEnumerable<JObject> ListRecords(DataverseTable table, string? filter, int? top)
    {
        var terms = string.IsNullOrWhiteSpace(filter)
            ? []
            : Regex.Split(filter, @"\s+and\s+", RegexOptions.IgnoreCase).Select(term =>
            {
                var match = FilterTerm.Match(term);
                if (!match.Success) throw new DataverseException(400, "0x80060888", $"The Dataverse stand-in understands only 'column eq value' terms joined by 'and', not '{term.Trim()}'.");
                var value = match.Groups["text"].Success ? match.Groups["text"].Value.Replace("''", "'") : match.Groups["bare"].Value;
                return (Column: match.Groups["column"].Value, Value: value);
            }).ToList();
        var found = dataverse.List(table.LogicalName).Where(row => terms.All(t => Matches(row[t.Column], t.Value)));
        return top is > 0 ? found.Take(top.Value) : found;
    }

    private static bool Matches(JToken? cell, string value) => cell?.Type switch
    {
        JTokenType.String => string.Equals((string)cell!, value, Guid.TryParse(value, out _) ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal),
        JTokenType.Integer or JTokenType.Float => decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && (decimal)cell! == number,
        JTokenType.Boolean => bool.TryParse(value, out var flag) && (bool)cell! == flag,
        _ => value == "null",
    };

    private static ConnectorResponse Error(int status, string code, string message) =>
        new(status, new JObject { ["error"] = new JObject { ["code"] = code, ["message"] = message } });
}
