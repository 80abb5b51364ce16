using System.Text;
using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Idempotency;

namespace OrderEvents.CustomCode.Tests.Idempotency;

/// <summary>Records written before the hand-written writer stay readable and records written after it look the same: the
/// bytes are the reflection-based serializer's, for a claim, a completion with any result, an ended claim and a claim taken over.</summary>
[TestClass]
public sealed class When_an_idempotency_record_is_written_its_bytes_are_those_the_serializer_wrote
{
    private static readonly DateTimeOffset At = new(2026, 3, 1, 8, 0, 0, 123, TimeSpan.Zero);

    [TestMethod]
    public void Every_shape_of_record_is_written_byte_for_byte_as_before()
    {
        var records = new[]
        {
            new IdempotencyStore.IdempotencyRecord { Consumer = "sms", Key = "order-1-created-v1", State = IdempotencyStore.RecordState.InProgress,
                ClaimToken = "a1b2", ClaimedUtc = At, LeaseExpiresUtc = At.AddMinutes(5), Owner = "08584dd0-run" },
            new IdempotencyStore.IdempotencyRecord { Consumer = "sap-orders", Key = "Zoë \"quoted\" \\ \u2028 👩‍🍳 <&>", State = IdempotencyStore.RecordState.Completed,
                ClaimToken = "c3", CompletedUtc = At.ToOffset(TimeSpan.FromHours(2)), Takeovers = 2,
                Result = new JObject { ["salesDocument"] = "0000012345", ["at"] = new JValue(At.UtcDateTime), ["n"] = 1.5, ["list"] = new JArray(1, JValue.CreateNull(), "x") } },
            new IdempotencyStore.IdempotencyRecord { Consumer = "warehouse", Key = "k", State = IdempotencyStore.RecordState.InProgress, ClaimToken = "d4",
                ClaimedUtc = At, LeaseExpiresUtc = At, OutcomeUnknown = true, Result = JValue.CreateNull() },
            new IdempotencyStore.IdempotencyRecord { Consumer = "sms-notification", Key = "order-2-created-v1", State = IdempotencyStore.RecordState.InProgress,
                ClaimToken = "e5", ClaimedUtc = At.AddMinutes(16), FirstClaimedUtc = At, LeaseExpiresUtc = At.AddMinutes(31), Takeovers = 1, Owner = "08584dd1-run" },
            new IdempotencyStore.IdempotencyRecord(),
        };

        foreach (var record in records)
        {
            Assert.AreEqual(IdempotencyStore.SerializeByReflection(record), Encoding.UTF8.GetString(IdempotencyStore.Serialize(record).Span));
        }
    }
}
