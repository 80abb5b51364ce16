using System.Globalization;
using System.Text.RegularExpressions;
using LocalLogicApp.StandIns.Http;
using LocalLogicApp.StandIns.Recording;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace LocalLogicApp.StandIns.Teams;

/// <summary>
/// Plays the Microsoft Teams managed connector behind the <c>teams</c> connection, action "Post card in a
/// chat or channel": <c>POST /v1.0/teams/conversation/adaptivecard/poster/{poster}/location/{location}</c>
/// with <c>{recipient:{groupId, channelId}, messageBody:"&lt;adaptive card JSON&gt;"}</c> (https://learn.microsoft.com/connectors/teams/).
/// Validates that the card text parses and is an Adaptive Card, records each card, and answers like the
/// connector (<c>id</c>, <c>messageLink</c>, <c>conversationId</c>).
/// </summary>
public sealed partial class TeamsStandIn(TimeProvider? clock = null) : HttpStandIn("teams", clock)
{
    public const string PostCardOperation = "PostCardToConversation";
    private static readonly string[] Posters = ["Flow bot", "User"];
    private static readonly string[] Locations = ["Channel", "Group chat", "Chat with Flow bot"];

    private readonly object gate = new();
    private readonly RecentRecords<PostedCard> cards = new();
    private long posted;

    /// <summary>Raised for every card accepted, once it is posted.</summary>
    public event Action<PostedCard>? Posted;

    /// <summary>The newest cards accepted and "posted" (at most <see cref="HttpStandIn.RecordLimit"/>), in order; empty
    /// when <see cref="HttpStandIn.KeepRecords"/> is off.</summary>
    public IReadOnlyList<PostedCard> PostedCards => cards.Snapshot();

    /// <summary>Every card posted since the start, kept or not.</summary>
    public long PostedCount => cards.Total;

    protected override void OnRecordLimitChanged(int limit) => cards.Limit = limit;

    protected override string OperationOf(StandInRequest request) =>
        request.Method == "POST" && PostCardPath().IsMatch(request.Path) ? PostCardOperation : $"{request.Method} {request.Path}";

    protected override Task<StandInResponse> HandleAsync(StandInRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(Handle(request));

    private StandInResponse Handle(StandInRequest request)
    {
        var match = PostCardPath().Match(request.Path);
        if (request.Method != "POST" || !match.Success) return NotFound(request);
        var poster = match.Groups["poster"].Value;
        var location = match.Groups["location"].Value;
        if (!Posters.Contains(poster, StringComparer.Ordinal)) return BadRequest($"Unknown poster '{poster}'; expected one of: {string.Join(", ", Posters)}.");
        if (!Locations.Contains(location, StringComparer.Ordinal)) return BadRequest($"Unknown location '{location}'; expected one of: {string.Join(", ", Locations)}.");
        if (request.JsonBody() is not JObject body) return BadRequest("The request body must be a JSON object with 'recipient' and 'messageBody'.");

        var recipient = body["recipient"] as JObject;
        var groupId = recipient?.Value<string>("groupId");
        var channelId = recipient?.Value<string>("channelId");
        if (location == "Channel" && (string.IsNullOrWhiteSpace(groupId) || string.IsNullOrWhiteSpace(channelId)))
        {
            return BadRequest("Posting to a channel needs 'recipient.groupId' (the team) and 'recipient.channelId'.");
        }
        if (body["messageBody"] is not JValue { Type: JTokenType.String } messageBody)
        {
            return BadRequest("'messageBody' must be the adaptive card as a JSON string.");
        }
        JObject card;
        try
        {
            card = JObject.Parse((string)messageBody!);
        }
        catch (JsonException ex)
        {
            return BadRequest($"'messageBody' is not valid JSON: {ex.Message}");
        }
        if (card.Value<string>("type") != "AdaptiveCard") return BadRequest("'messageBody' must be an adaptive card: its 'type' must be 'AdaptiveCard'.");
        if (string.IsNullOrWhiteSpace(card.Value<string>("version"))) return BadRequest("The adaptive card must declare its schema 'version'.");
        if (card["body"] is not JArray) return BadRequest("The adaptive card must have a 'body' array.");

        PostedCard accepted;
        lock (gate)
        {
            var messageId = (1_700_000_000_000L + ++posted).ToString(CultureInfo.InvariantCulture);
            accepted = new PostedCard(messageId, poster, location, groupId, channelId, card, Clock.GetUtcNow());
            cards.Add(accepted);
            Posted?.Invoke(accepted);
        }
        var conversationId = channelId ?? "19:local-chat@thread.v2";
        return StandInResponse.Json(200, new JObject
        {
            ["id"] = accepted.MessageId,
            ["conversationId"] = conversationId,
            ["messageLink"] = $"https://teams.microsoft.com/l/message/{Uri.EscapeDataString(conversationId)}/{accepted.MessageId}?groupId={groupId}",
        });
    }

    private static StandInResponse BadRequest(string message) =>
        StandInResponse.Json(400, new JObject { ["error"] = new JObject { ["code"] = "BadRequest", ["message"] = message } });

    [GeneratedRegex(@"^(?:/[^/]+)*?/v1\.0/teams/conversation/adaptivecard/poster/(?<poster>[^/]+)/location/(?<location>[^/]+)/?$")]
    private static partial Regex PostCardPath();
}

/// <summary>An adaptive card the stand-in accepted.</summary>
public sealed record PostedCard(string MessageId, string Poster, string Location, string? GroupId, string? ChannelId, JObject Card, DateTimeOffset PostedAt)
{
    /// <summary>All text of the card's TextBlocks and FactSets, for assertions and reports.</summary>
    /// <summary>The value of a FactSet fact by its title ("Message id", "Subscriber", "Reason", ...), or null.</summary>
    public string? Fact(string title) => Card.Descendants().OfType<JObject>()
        .FirstOrDefault(o => o.Value<string>("title") == title && o["value"]?.Type == JTokenType.String)?.Value<string>("value");

    public string Text => string.Join(" | ", Card.Descendants().OfType<JProperty>()
        .Where(p => p.Name is "text" or "title" or "value" && p.Value.Type == JTokenType.String)
        .Select(p => (string)p.Value!));
}
