using Microsoft.Azure.Amqp;
using Microsoft.Azure.Amqp.Encoding;
using Microsoft.Azure.Amqp.Framing;
using ServiceBus.Amqp.Errors;
using ServiceBus.Amqp.Messages;
using ServiceBus.Local.Entities;
using ServiceBus.Local.Filters;

namespace ServiceBus.Amqp.Management;

/// <summary>
/// Rules on the wire. A client adds a rule as a map (<c>sql-filter</c> or <c>correlation-filter</c>, and
/// <c>sql-rule-action</c>); the broker lists rules as described types (<c>com.microsoft:rule-description:list</c> with
/// a filter and an action), under the descriptor codes the official .NET client registers for them ("AMQP
/// request-response operations in Service Bus", sections "Add rule" and "Get rules").
/// </summary>
internal static class RuleCodecs
{
    public static RuleDefinition FromRequest(string ruleName, AmqpMap description)
    {
        RuleFilter filter;
        try
        {
            if (description.Get("sql-filter") is AmqpMap sql)
            {
                var expression = sql.Get("expression") as string ?? throw ServiceBusErrors.Argument("The sql-filter has no expression.");
                filter = expression.Trim() switch { "1=1" => TrueRuleFilter.Instance, "1=0" => FalseRuleFilter.Instance, _ => new SqlRuleFilter(expression) };
            }
            else if (description.Get("correlation-filter") is AmqpMap correlation)
            {
                var c = new CorrelationRuleFilter
                {
                    CorrelationId = correlation.Get("correlation-id") as string,
                    MessageId = correlation.Get("message-id") as string,
                    To = correlation.Get("to") as string,
                    ReplyTo = correlation.Get("reply-to") as string,
                    Subject = correlation.Get("label") as string,
                    SessionId = correlation.Get("session-id") as string,
                    ReplyToSessionId = correlation.Get("reply-to-session-id") as string,
                    ContentType = correlation.Get("content-type") as string,
                };
                if (correlation.Get("properties") is AmqpMap properties)
                {
                    foreach (var (key, value) in properties)
                        c.ApplicationProperties[key.ToString()] = Messages.AmqpMessageCodec.FromAmqpValue(key.ToString(), value);
                }
                filter = c;
            }
            else
            {
                throw ServiceBusErrors.Argument("The rule description has neither a sql-filter nor a correlation-filter.");
            }
            var action = description.Get("sql-rule-action") is AmqpMap { } a && a.Get("expression") is string actionExpression
                ? new SqlRuleAction(actionExpression)
                : null;
            return new RuleDefinition(ruleName, filter, action);
        }
        catch (FilterException ex)
        {
            throw ServiceBusErrors.Argument($"The rule '{ruleName}' is not valid: {ex.Message}");
        }
    }

    public static AmqpDescribed ToDescription(RuleDefinition rule) => new RuleDescription
    {
        Filter = rule.Filter switch
        {
            TrueRuleFilter => new EmptyList(TrueFilterName, TrueFilterCode),
            FalseRuleFilter => new EmptyList(FalseFilterName, FalseFilterCode),
            SqlRuleFilter sql => new ExpressionList(SqlFilterName, SqlFilterCode, sql.SqlExpression),
            CorrelationRuleFilter c => new CorrelationFilter(c),
            _ => throw new NotSupportedException($"Unknown filter type {rule.Filter.GetType().Name}."),
        },
        Action = rule.Action is { } action
            ? new ExpressionList(SqlActionName, SqlActionCode, action.SqlExpression)
            : new EmptyList(EmptyActionName, EmptyActionCode),
        RuleName = rule.Name,
    };

    // Descriptor names and codes as Azure.Messaging.ServiceBus registers them (src/Amqp/Framing/*Codec.cs).
    private const string RuleDescriptionName = "com.microsoft:rule-description:list";
    private const ulong RuleDescriptionCode = 0x0000013700000004;
    private const string SqlFilterName = "com.microsoft:sql-filter:list";
    private const ulong SqlFilterCode = 0x000001370000006;
    private const string TrueFilterName = "com.microsoft:true-filter:list";
    private const ulong TrueFilterCode = 0x000001370000007;
    private const string FalseFilterName = "com.microsoft:false-filter:list";
    private const ulong FalseFilterCode = 0x000001370000008;
    private const string CorrelationFilterName = "com.microsoft:correlation-filter:list";
    private const ulong CorrelationFilterCode = 0x000001370000009;
    private const string EmptyActionName = "com.microsoft:empty-rule-action:list";
    private const ulong EmptyActionCode = 0x0000013700000005;
    private const string SqlActionName = "com.microsoft:sql-rule-action:list";
    private const ulong SqlActionCode = 0x0000013700000006;

    private sealed class RuleDescription() : DescribedList(RuleDescriptionName, RuleDescriptionCode)
    {
        public DescribedList? Filter { get; init; }
        public DescribedList? Action { get; init; }
        public string? RuleName { get; init; }
        protected override int FieldCount => 4;

        protected override void OnEncode(ByteBuffer buffer)
        {
            AmqpCodec.EncodeSerializable(Filter, buffer);
            AmqpCodec.EncodeSerializable(Action, buffer);
            AmqpCodec.EncodeString(RuleName, buffer);
            AmqpCodec.EncodeTimeStamp(null, buffer);
        }

        protected override void OnDecode(ByteBuffer buffer, int count) => throw new NotSupportedException();

        protected override int OnValueSize() =>
            AmqpCodec.GetSerializableEncodeSize(Filter) + AmqpCodec.GetSerializableEncodeSize(Action)
            + AmqpCodec.GetStringEncodeSize(RuleName) + AmqpCodec.GetTimeStampEncodeSize(null);
    }

    private sealed class EmptyList(string name, ulong code) : DescribedList(name, code)
    {
        protected override int FieldCount => 0;
        protected override void OnEncode(ByteBuffer buffer) { }
        protected override void OnDecode(ByteBuffer buffer, int count) => throw new NotSupportedException();
        protected override int OnValueSize() => 0;
    }

    /// <summary>sql-filter and sql-rule-action: an expression and a compatibility level.</summary>
    private sealed class ExpressionList(string name, ulong code, string expression) : DescribedList(name, code)
    {
        protected override int FieldCount => 2;

        protected override void OnEncode(ByteBuffer buffer)
        {
            AmqpCodec.EncodeString(expression, buffer);
            AmqpCodec.EncodeInt(20, buffer);
        }

        protected override void OnDecode(ByteBuffer buffer, int count) => throw new NotSupportedException();
        protected override int OnValueSize() => AmqpCodec.GetStringEncodeSize(expression) + AmqpCodec.GetIntEncodeSize(20);
    }

    private sealed class CorrelationFilter(CorrelationRuleFilter filter) : DescribedList(CorrelationFilterName, CorrelationFilterCode)
    {
        private readonly AmqpMap properties = Properties(filter);
        protected override int FieldCount => 9;

        private string?[] Fields => [filter.CorrelationId, filter.MessageId, filter.To, filter.ReplyTo, filter.Subject, filter.SessionId, filter.ReplyToSessionId, filter.ContentType];

        protected override void OnEncode(ByteBuffer buffer)
        {
            foreach (var field in Fields) AmqpCodec.EncodeString(field, buffer);
            AmqpCodec.EncodeMap(properties, buffer);
        }

        protected override void OnDecode(ByteBuffer buffer, int count) => throw new NotSupportedException();

        protected override int OnValueSize() => Fields.Sum(AmqpCodec.GetStringEncodeSize) + AmqpCodec.GetMapEncodeSize(properties);

        private static AmqpMap Properties(CorrelationRuleFilter filter)
        {
            var map = new AmqpMap();
            foreach (var (key, value) in filter.ApplicationProperties) map[new MapKey(key)] = Messages.AmqpMessageCodec.ToAmqpValue(value);
            return map;
        }
    }
}
