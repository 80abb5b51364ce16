using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Idempotency;
using OrderEvents.CustomCode.Storage;
using OrderEvents.CustomCode.Tests.Azurite;
using TestSupport.Azurite;

namespace OrderEvents.CustomCode.Tests.Idempotency;

/// <summary>
/// Claims, leases, takeovers, completion and release of idempotency keys, run on each object store (the store's
/// conditional writes are what makes "exactly one run" hold under races).
/// </summary>
public abstract class IdempotencyStore_Specs
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);
    private TestStore? testStore;

    protected abstract StoreKind Kind { get; }

    protected virtual AzuriteBlobProcess? Azurite => null;

    protected ManualClock Clock { get; } = new(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero));

    protected IdempotencyStore Idempotency { get; private set; } = null!;

    /// <summary>The storage operations the idempotency store made.</summary>
    protected CountingObjectStore Storage { get; private set; } = null!;

    [TestInitialize]
    public void CreateStore()
    {
        testStore = TestStore.Create(Kind, Azurite);
        Storage = new CountingObjectStore(testStore.Store);
        Idempotency = new IdempotencyStore(Storage, Clock, TestStore.NewContainer("idem"));
    }

    [TestCleanup]
    public void DeleteStore() => testStore?.Dispose();

    [TestMethod]
    public async Task The_first_begin_starts_and_a_duplicate_during_the_live_claim_is_in_progress_elsewhere()
    {
        var first = await Idempotency.BeginAsync("sap-fulfillment", "order-1-created-v1", Lease);
        Clock.Advance(TimeSpan.FromMinutes(4));
        var duplicate = await Idempotency.BeginAsync("sap-fulfillment", "order-1-created-v1", Lease);

        Assert.AreEqual(ClaimState.Started, first.State);
        Assert.IsFalse(string.IsNullOrEmpty(first.ClaimToken));
        Assert.AreEqual(Clock.GetUtcNow() - TimeSpan.FromMinutes(4) + Lease, first.LeaseExpiresUtc);
        Assert.AreEqual(ClaimState.InProgressElsewhere, duplicate.State);
        Assert.IsNull(duplicate.ClaimToken, "a duplicate must not get a token to run the side effect with");
        Assert.AreEqual(first.LeaseExpiresUtc, duplicate.LeaseExpiresUtc);
    }

    [TestMethod]
    public async Task A_claim_is_re_entrant_for_its_owner_and_its_token_completes_it_while_others_stay_out()
    {
        var first = await Idempotency.BeginAsync("sap-fulfillment-alerts", "1001", Lease, owner: "run-A");
        Clock.Advance(TimeSpan.FromMinutes(1));
        // The same run, resumed after an outage, runs its claiming action again.
        var again = await Idempotency.BeginAsync("sap-fulfillment-alerts", "1001", Lease, owner: "run-A");
        var other = await Idempotency.BeginAsync("sap-fulfillment-alerts", "1001", Lease, owner: "run-B");
        var anonymous = await Idempotency.BeginAsync("sap-fulfillment-alerts", "1001", Lease);

        Assert.AreEqual(ClaimState.Started, again.State);
        Assert.AreEqual(first.LeaseExpiresUtc, again.LeaseExpiresUtc, "the claim comes back as it was, not renewed");
        Assert.AreEqual(ClaimState.InProgressElsewhere, other.State);
        Assert.AreEqual(ClaimState.InProgressElsewhere, anonymous.State);
        var completed = await Idempotency.CompleteAsync("sap-fulfillment-alerts", "1001", again.ClaimToken!, new JValue("alerted"));
        Assert.AreEqual(CompleteState.Completed, completed.State);
        Assert.AreEqual(ClaimState.AlreadyCompleted, (await Idempotency.BeginAsync("sap-fulfillment-alerts", "1001", Lease, owner: "run-A")).State);
    }

    [TestMethod]
    public async Task After_completion_every_duplicate_gets_already_completed_with_the_stored_result()
    {
        var claim = await Idempotency.BeginAsync("sap-fulfillment", "order-1-created-v1", Lease);
        var completed = await Idempotency.CompleteAsync("sap-fulfillment", "order-1-created-v1", claim.ClaimToken!, JObject.Parse("{\"salesDocument\":\"0000012345\"}"));
        Clock.Advance(TimeSpan.FromDays(30));

        var duplicate = await Idempotency.BeginAsync("sap-fulfillment", "order-1-created-v1", Lease);

        Assert.AreEqual(CompleteState.Completed, completed.State);
        Assert.AreEqual(ClaimState.AlreadyCompleted, duplicate.State);
        Assert.AreEqual("0000012345", (string?)duplicate.Result!["salesDocument"]);
    }

    [TestMethod]
    public async Task Of_32_parallel_begins_for_one_key_exactly_one_starts()
    {
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(() =>
            Idempotency.BeginAsync("warehouse-inventory", "order-7-updated-v3", Lease))));

        Assert.AreEqual(1, outcomes.Count(o => o.State == ClaimState.Started));
        Assert.AreEqual(31, outcomes.Count(o => o.State == ClaimState.InProgressElsewhere));
    }

    [TestMethod]
    public async Task An_expired_claim_is_taken_over_by_exactly_one_of_many_parallel_begins()
    {
        var crashed = await Idempotency.BeginAsync("sms-notification", "order-2-created-v1", Lease);
        Clock.Advance(Lease + TimeSpan.FromSeconds(1));

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() =>
            Idempotency.BeginAsync("sms-notification", "order-2-created-v1", Lease))));

        var takers = outcomes.Where(o => o.State == ClaimState.Started).ToList();
        Assert.AreEqual(1, takers.Count);
        Assert.IsTrue(takers[0].TookOverExpiredClaim);
        Assert.AreNotEqual(crashed.ClaimToken, takers[0].ClaimToken);
        Assert.AreEqual(15, outcomes.Count(o => o.State == ClaimState.InProgressElsewhere));
    }

    [TestMethod]
    public async Task Completing_with_a_token_that_was_taken_over_reports_a_stale_claim_and_keeps_the_new_claim()
    {
        var slow = await Idempotency.BeginAsync("sap-fulfillment", "order-3-created-v1", Lease);
        Clock.Advance(Lease + TimeSpan.FromSeconds(1));
        var taker = await Idempotency.BeginAsync("sap-fulfillment", "order-3-created-v1", Lease);

        var late = await Idempotency.CompleteAsync("sap-fulfillment", "order-3-created-v1", slow.ClaimToken!, new JValue("slow result"));
        var lateRelease = await Idempotency.ReleaseAsync("sap-fulfillment", "order-3-created-v1", slow.ClaimToken!);
        var current = await Idempotency.CompleteAsync("sap-fulfillment", "order-3-created-v1", taker.ClaimToken!, new JValue("taker result"));

        Assert.AreEqual(CompleteState.StaleClaim, late.State);
        Assert.AreEqual(ReleaseState.StaleClaim, lateRelease.State);
        Assert.AreEqual(CompleteState.Completed, current.State);
        var duplicate = await Idempotency.BeginAsync("sap-fulfillment", "order-3-created-v1", Lease);
        Assert.AreEqual("taker result", (string?)duplicate.Result);
    }

    [TestMethod]
    public async Task A_run_may_complete_after_its_lease_expired_as_long_as_nobody_took_over()
    {
        var claim = await Idempotency.BeginAsync("sap-fulfillment", "order-4-created-v1", Lease);
        Clock.Advance(Lease * 2);

        var completed = await Idempotency.CompleteAsync("sap-fulfillment", "order-4-created-v1", claim.ClaimToken!, null);

        Assert.AreEqual(CompleteState.Completed, completed.State);
        Assert.AreEqual(ClaimState.AlreadyCompleted, (await Idempotency.BeginAsync("sap-fulfillment", "order-4-created-v1", Lease)).State);
    }

    [TestMethod]
    public async Task A_released_claim_can_be_begun_again_at_once_by_the_redelivery()
    {
        var failed = await Idempotency.BeginAsync("warehouse-inventory", "order-5-created-v1", Lease);

        var released = await Idempotency.ReleaseAsync("warehouse-inventory", "order-5-created-v1", failed.ClaimToken!);
        var redelivery = await Idempotency.BeginAsync("warehouse-inventory", "order-5-created-v1", Lease);

        Assert.AreEqual(ReleaseState.Released, released.State);
        Assert.AreEqual(ClaimState.Started, redelivery.State);
        Assert.IsFalse(redelivery.TookOverExpiredClaim);
        Assert.AreEqual(CompleteState.StaleClaim, (await Idempotency.CompleteAsync("warehouse-inventory", "order-5-created-v1", failed.ClaimToken!, null)).State);
    }

    [TestMethod]
    public async Task A_claim_ended_with_its_outcome_unknown_is_taken_over_at_once_and_the_taker_learns_it()
    {
        var tried = await Idempotency.BeginAsync("sap-orders", "SO-7", Lease);

        var ended = await Idempotency.ReleaseOutcomeUnknownAsync("sap-orders", "SO-7", tried.ClaimToken!);
        var redelivery = await Idempotency.BeginAsync("sap-orders", "SO-7", Lease);

        Assert.AreEqual(ReleaseState.KeptOutcomeUnknown, ended.State);
        Assert.AreEqual(ClaimState.Started, redelivery.State, "no waiting for the lease: the run that tried has ended");
        Assert.IsTrue(redelivery.TookOverExpiredClaim);
        Assert.IsTrue(redelivery.PreviousOutcomeUnknown);
        Assert.AreEqual(CompleteState.StaleClaim, (await Idempotency.CompleteAsync("sap-orders", "SO-7", tried.ClaimToken!, null)).State);
    }

    [TestMethod]
    public async Task The_outcome_unknown_mark_passes_to_a_taker_that_ends_without_knowing_and_is_gone_once_completed()
    {
        var tried = await Idempotency.BeginAsync("sap-orders", "SO-8", Lease);
        await Idempotency.ReleaseOutcomeUnknownAsync("sap-orders", "SO-8", tried.ClaimToken!);
        var taker = await Idempotency.BeginAsync("sap-orders", "SO-8", Lease);
        Clock.Advance(Lease + TimeSpan.FromSeconds(1)); // the taker vanished too

        var next = await Idempotency.BeginAsync("sap-orders", "SO-8", Lease);
        await Idempotency.CompleteAsync("sap-orders", "SO-8", next.ClaimToken!, new JValue("0000012345"));
        var after = await Idempotency.BeginAsync("sap-orders", "SO-8", Lease);

        Assert.IsTrue(taker.PreviousOutcomeUnknown);
        Assert.IsTrue(next.TookOverExpiredClaim);
        Assert.IsTrue(next.PreviousOutcomeUnknown, "whoever takes over still has to check first");
        Assert.AreEqual(ClaimState.AlreadyCompleted, after.State);
        Assert.AreEqual("0000012345", (string?)after.Result);
    }

    [TestMethod]
    public async Task An_expired_claim_taken_over_without_the_mark_says_the_earlier_run_vanished_not_that_it_tried()
    {
        await Idempotency.BeginAsync("sap-orders", "SO-9", Lease);
        Clock.Advance(Lease + TimeSpan.FromSeconds(1));

        var takeover = await Idempotency.BeginAsync("sap-orders", "SO-9", Lease);

        Assert.IsTrue(takeover.TookOverExpiredClaim);
        Assert.IsFalse(takeover.PreviousOutcomeUnknown);
    }

    [TestMethod]
    public async Task A_takeover_says_when_the_attempt_it_took_over_began_and_a_first_claim_says_nothing()
    {
        var first = await Idempotency.BeginAsync("sms-notification", "order-10-created-v1", Lease);
        Clock.Advance(Lease + TimeSpan.FromSeconds(1));

        var takeover = await Idempotency.BeginAsync("sms-notification", "order-10-created-v1", Lease);

        Assert.IsNull(first.EarlierAttemptStartedUtc);
        Assert.AreEqual(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero), takeover.EarlierAttemptStartedUtc);
    }

    [TestMethod]
    public async Task After_a_chain_of_takeovers_the_next_taker_learns_when_the_first_unclosed_attempt_began()
    {
        await Idempotency.BeginAsync("sms-notification", "order-11-created-v1", Lease);
        Clock.Advance(Lease + TimeSpan.FromSeconds(1));
        await Idempotency.BeginAsync("sms-notification", "order-11-created-v1", Lease); // the taker vanished too
        Clock.Advance(Lease + TimeSpan.FromSeconds(1));

        var next = await Idempotency.BeginAsync("sms-notification", "order-11-created-v1", Lease);

        Assert.AreEqual(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero), next.EarlierAttemptStartedUtc);
    }

    [TestMethod]
    public async Task Ending_with_the_outcome_unknown_is_one_if_match_write_and_never_touches_a_completed_or_taken_over_claim()
    {
        var claim = await Idempotency.BeginAsync("sap-orders", "SO-10", Lease);
        var ended = await Idempotency.ReleaseOutcomeUnknownAsync("sap-orders", "SO-10", claim.ClaimToken!);
        var counts = Storage.Total;

        var taker = await Idempotency.BeginAsync("sap-orders", "SO-10", Lease);
        var staleEnd = await Idempotency.ReleaseOutcomeUnknownAsync("sap-orders", "SO-10", claim.ClaimToken!);
        await Idempotency.CompleteAsync("sap-orders", "SO-10", taker.ClaimToken!, new JValue("done"));
        var completedEnd = await Idempotency.ReleaseOutcomeUnknownAsync("sap-orders", "SO-10", taker.ClaimToken!);

        Assert.AreEqual(ReleaseState.KeptOutcomeUnknown, ended.State);
        Assert.AreEqual(new StorageOperationCounts(Creates: 1, Reads: 0, Replaces: 1, Deletes: 0, Lists: 0), counts);
        Assert.AreEqual(ReleaseState.StaleClaim, staleEnd.State);
        Assert.AreEqual(ReleaseState.AlreadyCompleted, completedEnd.State);
        Assert.AreEqual("done", (string?)(await Idempotency.BeginAsync("sap-orders", "SO-10", Lease)).Result);
    }

    [TestMethod]
    public async Task Completing_twice_with_the_same_token_keeps_the_first_result_and_a_completed_key_is_never_released()
    {
        var claim = await Idempotency.BeginAsync("sap-fulfillment", "order-6-created-v1", Lease);
        await Idempotency.CompleteAsync("sap-fulfillment", "order-6-created-v1", claim.ClaimToken!, new JValue("first"));

        var again = await Idempotency.CompleteAsync("sap-fulfillment", "order-6-created-v1", claim.ClaimToken!, new JValue("second"));
        var release = await Idempotency.ReleaseAsync("sap-fulfillment", "order-6-created-v1", claim.ClaimToken!);

        Assert.AreEqual(CompleteState.AlreadyCompleted, again.State);
        Assert.AreEqual(ReleaseState.AlreadyCompleted, release.State);
        Assert.AreEqual("first", (string?)(await Idempotency.BeginAsync("sap-fulfillment", "order-6-created-v1", Lease)).Result);
    }

    [TestMethod]
    public async Task Completing_or_releasing_a_key_that_was_never_begun_reports_claim_not_found()
    {
        Assert.AreEqual(CompleteState.ClaimNotFound, (await Idempotency.CompleteAsync("sap-fulfillment", "never", "token", null)).State);
        Assert.AreEqual(ReleaseState.ClaimNotFound, (await Idempotency.ReleaseAsync("sap-fulfillment", "never", "token")).State);
    }

    [TestMethod]
    public async Task A_claim_and_its_completion_are_two_storage_transactions_a_conditional_create_and_one_if_match_write()
    {
        var claim = await Idempotency.BeginAsync("sap-fulfillment", "order-9-created-v1", Lease);
        var completed = await Idempotency.CompleteAsync("sap-fulfillment", "order-9-created-v1", claim.ClaimToken!, new JValue("done"));

        Assert.AreEqual(CompleteState.Completed, completed.State);
        Assert.AreEqual(new StorageOperationCounts(Creates: 1, Reads: 0, Replaces: 1, Deletes: 0, Lists: 0), Storage.Total);
    }

    [TestMethod]
    public async Task A_claim_and_its_release_are_two_storage_transactions_a_conditional_create_and_one_if_match_delete()
    {
        var claim = await Idempotency.BeginAsync("sms-notification", "order-9-created-v1", Lease);
        var released = await Idempotency.ReleaseAsync("sms-notification", "order-9-created-v1", claim.ClaimToken!);

        Assert.AreEqual(ReleaseState.Released, released.State);
        Assert.AreEqual(new StorageOperationCounts(Creates: 1, Reads: 0, Replaces: 0, Deletes: 1, Lists: 0), Storage.Total);
    }

    [TestMethod]
    public async Task A_token_issued_without_the_claims_etag_still_completes_and_releases_by_reading_the_record_first()
    {
        // Tokens handed out before they carried the ETag were the bare claim id: runs in flight across an upgrade.
        var first = await Idempotency.BeginAsync("warehouse-inventory", "order-10-created-v1", Lease);
        var second = await Idempotency.BeginAsync("warehouse-inventory", "order-11-created-v1", Lease);

        var completed = await Idempotency.CompleteAsync("warehouse-inventory", "order-10-created-v1", BareClaimId(first.ClaimToken!), null);
        var released = await Idempotency.ReleaseAsync("warehouse-inventory", "order-11-created-v1", BareClaimId(second.ClaimToken!));

        Assert.AreEqual(CompleteState.Completed, completed.State);
        Assert.AreEqual(ReleaseState.Released, released.State);
        Assert.AreEqual(2, Storage.Total.Reads, "without an ETag each of them reads the record first");
    }

    [TestMethod]
    [DataRow("~not*base64")]
    [DataRow("~Im5vdC10aGUtZXRhZyI")]
    public async Task A_token_whose_etag_part_is_damaged_is_decided_by_the_record_and_cannot_complete_a_takers_claim(string damagedTail)
    {
        var slow = await Idempotency.BeginAsync("sap-fulfillment", "order-12-created-v1", Lease);
        Clock.Advance(Lease + TimeSpan.FromSeconds(1));
        var taker = await Idempotency.BeginAsync("sap-fulfillment", "order-12-created-v1", Lease);

        var late = await Idempotency.CompleteAsync("sap-fulfillment", "order-12-created-v1", BareClaimId(slow.ClaimToken!) + damagedTail, new JValue("slow"));
        var own = await Idempotency.CompleteAsync("sap-fulfillment", "order-12-created-v1", BareClaimId(taker.ClaimToken!) + damagedTail, new JValue("taker"));

        Assert.AreEqual(CompleteState.StaleClaim, late.State);
        Assert.AreEqual(CompleteState.Completed, own.State, "the record shows the claim is the taker's, so its completion still counts");
        Assert.AreEqual("taker", (string?)(await Idempotency.BeginAsync("sap-fulfillment", "order-12-created-v1", Lease)).Result);
    }

    [TestMethod]
    public async Task Keys_are_per_consumer_so_subscribers_handling_the_same_event_do_not_block_each_other()
    {
        var sap = await Idempotency.BeginAsync("sap-fulfillment", "order-8-created-v1", Lease);
        var sms = await Idempotency.BeginAsync("sms-notification", "order-8-created-v1", Lease);

        Assert.AreEqual(ClaimState.Started, sap.State);
        Assert.AreEqual(ClaimState.Started, sms.State);
    }

    [TestMethod]
    public async Task Keys_with_characters_unsafe_in_names_are_stored_under_distinct_hashed_names()
    {
        string[] keys = ["a/../b", "a:b", "a b", "A/B", new string('x', 500), "ünïcode-ключ"];

        foreach (var key in keys)
        {
            Assert.AreEqual(ClaimState.Started, (await Idempotency.BeginAsync("sap-fulfillment", key, Lease)).State, key);
        }
        foreach (var key in keys)
        {
            Assert.AreEqual(ClaimState.InProgressElsewhere, (await Idempotency.BeginAsync("sap-fulfillment", key, Lease)).State, key);
        }
        Assert.AreEqual(keys.Length, keys.Select(k => IdempotencyStore.RecordName("sap-fulfillment", k)).Distinct().Count());
    }

    private static string BareClaimId(string token) => token.Split('~')[0];

    [TestClass]
    public sealed class InMemory : IdempotencyStore_Specs
    {
        protected override StoreKind Kind => StoreKind.InMemory;
    }

    [TestClass]
    public sealed class OnFileSystem : IdempotencyStore_Specs
    {
        protected override StoreKind Kind => StoreKind.FileSystem;
    }

    [TestClass]
    public sealed class OnSqlite : IdempotencyStore_Specs
    {
        protected override StoreKind Kind => StoreKind.Sqlite;
    }

    [TestClass]
    public sealed class OnAzurite : IdempotencyStore_Specs
    {
        private static readonly SharedAzurite.Hold Shared = new();

        protected override StoreKind Kind => StoreKind.Azurite;

        protected override AzuriteBlobProcess? Azurite => Shared.Process;

        [ClassInitialize]
        public static Task StartAzurite(TestContext context) => Shared.AcquireAsync();

        [ClassCleanup]
        public static Task StopAzurite() => Shared.ReleaseAsync();
    }
}
