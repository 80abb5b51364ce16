using System.Collections.Concurrent;
using LocalLogicApp.StandIns.Recording;
using Newtonsoft.Json.Linq;

namespace LocalLogicApp.StandIns.Dataverse;

/// <summary>A table the stand-in holds: its logical name (the trigger's <c>entityname</c>), its entity set name (the
/// actions' <c>entityName</c>, as in the Web API) and its primary key column.</summary>
public sealed record DataverseTable(string LogicalName, string EntitySetName, string PrimaryKey);

/// <summary>A change the stand-in notifies webhook subscribers of: the message (Create, Update, Delete) and the row.</summary>
public sealed record DataverseChange(string Message, DataverseTable Table, JObject Row);

/// <summary>
/// Microsoft Dataverse on one machine, as much of it as the publisher flow uses: tables of rows (JSON objects keyed by
/// their primary key, with <c>createdon</c>/<c>modifiedon</c> from the clock), change notifications for the
/// connector's "When a row is added, modified or deleted" trigger, delivered asynchronously after the change like
/// Dataverse's own (the row is saved before any flow sees it), and the Key Vault-backed secret environment variables
/// the <c>RetrieveEnvironmentVariableSecretValue</c> action returns. Rows are held in memory.
/// </summary>
public sealed class DataverseStandIn(TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, DataverseTable> tablesByLogicalName = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Guid, JObject>> rows = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<Guid, Action<DataverseChange>> subscribers = new();

    /// <summary>Secret environment variables by schema name (in Dataverse: references to Key Vault secrets).</summary>
    public ConcurrentDictionary<string, string> SecretEnvironmentVariables { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The newest changes (at most <see cref="RecentRecords{T}.DefaultLimit"/> unless its <c>Limit</c> is set), in
    /// order, and a count of all (for assertions).</summary>
    public RecentRecords<DataverseChange> Changes { get; } = new();

    public DataverseTable AddTable(string logicalName, string entitySetName, string? primaryKey = null)
    {
        var table = new DataverseTable(logicalName, entitySetName, primaryKey ?? logicalName + "id");
        tablesByLogicalName[logicalName] = table;
        rows.TryAdd(logicalName, new ConcurrentDictionary<Guid, JObject>());
        return table;
    }

    public DataverseTable? TableByLogicalName(string logicalName) => tablesByLogicalName.GetValueOrDefault(logicalName);

    public DataverseTable? TableByEntitySet(string entitySetName) =>
        tablesByLogicalName.Values.FirstOrDefault(t => t.EntitySetName.Equals(entitySetName, StringComparison.OrdinalIgnoreCase));

    /// <summary>Adds a row (a new primary key unless the row brings one) and notifies Create subscribers.</summary>
    public JObject Create(string logicalName, JObject values)
    {
        var table = Table(logicalName);
        var row = (JObject)values.DeepClone();
        var id = row[table.PrimaryKey] is { Type: JTokenType.String } given && Guid.TryParse((string)given!, out var parsed) ? parsed : Guid.NewGuid();
        var now = Timestamp();
        row[table.PrimaryKey] = id.ToString("D");
        row["createdon"] = now;
        row["modifiedon"] = now;
        if (!rows[logicalName].TryAdd(id, row)) throw new DataverseException(412, "0x80040237", $"A record with the same key already exists in {logicalName}: {id}.");
        Notify(new DataverseChange("Create", table, (JObject)row.DeepClone()));
        return (JObject)row.DeepClone();
    }

    /// <summary>Changes columns of a row and notifies Update subscribers.</summary>
    public JObject Update(string logicalName, Guid id, JObject changes)
    {
        var table = Table(logicalName);
        JObject updated;
        lock (rows[logicalName])
        {
            var row = Find(table, id);
            foreach (var property in changes.Properties()) row[property.Name] = property.Value.DeepClone();
            row["modifiedon"] = Timestamp();
            updated = (JObject)row.DeepClone();
        }
        Notify(new DataverseChange("Update", table, updated));
        return (JObject)updated.DeepClone();
    }

    public JObject Get(string logicalName, Guid id) => (JObject)Find(Table(logicalName), id).DeepClone();

    public IReadOnlyList<JObject> List(string logicalName) =>
        rows[Table(logicalName).LogicalName].Values.Select(r => (JObject)r.DeepClone()).ToList();

    /// <summary>How many change subscriptions are open (one per flow turned on with a Dataverse trigger).</summary>
    public int SubscriptionCount => subscribers.Count;

    /// <summary>Calls <paramref name="onChange"/> for every later change (on the caller's thread); dispose to stop.</summary>
    public IDisposable Subscribe(Action<DataverseChange> onChange)
    {
        var key = Guid.NewGuid();
        subscribers[key] = onChange;
        return new Subscription(() => subscribers.TryRemove(key, out _));
    }

    private void Notify(DataverseChange change)
    {
        Changes.Add(change);
        foreach (var subscriber in subscribers.Values) subscriber(change);
    }

    private DataverseTable Table(string logicalName) =>
        TableByLogicalName(logicalName) ?? throw new DataverseException(404, "0x80040217", $"The table '{logicalName}' does not exist.");

    private JObject Find(DataverseTable table, Guid id) =>
        rows[table.LogicalName].TryGetValue(id, out var row)
            ? row
            : throw new DataverseException(404, "0x80040217", $"{table.LogicalName} With Id = {id} Does Not Exist");

    private string Timestamp() => clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private sealed class Subscription(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}

/// <summary>A Dataverse error: the HTTP status and the hexadecimal error code the Web API reports with it.</summary>
public sealed class DataverseException(int statusCode, string code, string message) : Exception(message)
{
    public int StatusCode { get; } = statusCode;
    public string Code { get; } = code;
}
