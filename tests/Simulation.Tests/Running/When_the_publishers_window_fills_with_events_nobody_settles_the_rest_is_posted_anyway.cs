using System.Net;
using System.Net.Sockets;
using Simulation.Checking;
using Simulation.Faults;
using Simulation.Generation;
using Simulation.Observation;
using Simulation.Running;

namespace Simulation.Tests.Running;

/// <summary>
/// The publisher keeps at most a window of accepted events that are not yet done. Events that are stuck or lost never
/// give their slot back: once the window has been full for its stall timeout with no event done, the publisher posts
/// the rest without it, so that the day ends and its checks name the missing events, instead of waiting for ever (a
/// day whose messages expired unprocessed hung that way).
/// </summary>
[TestClass]
public sealed class When_the_publishers_window_fills_with_events_nobody_settles_the_rest_is_posted_anyway
{
    [TestMethod]
    public async Task Every_event_is_posted_and_the_stall_is_logged()
    {
        var day = new OrderDay(12, seed: 3, FaultProfile.Clean);
        var schedule = day.PublishingOrder();
        var metrics = new DayMetrics(day, new DayLedger(day));
        using var intake = new AcceptingIntake();
        var log = new List<string>();
        var publisher = new Publisher(day, metrics, TimeProvider.System, () => intake.Url, connections: 4, line => { lock (log) log.Add(line); })
        {
            StallTimeout = TimeSpan.FromMilliseconds(200),
        };
        // A safety net only: without the stall timeout the publisher waits for ever for a slot.
        using var safetyNet = new CancellationTokenSource(TimeSpan.FromMinutes(1));

        await publisher.RunAsync(schedule, workers: 4, window: 2, lakeContainer: "lake", safetyNet.Token);

        Assert.IsTrue(schedule.Length > 2, "more events than the window holds");
        Assert.AreEqual(schedule.Length, intake.Posts, "every event was posted once");
        Assert.AreEqual(0L, metrics.DoneEvents, "nothing settled them");
        Assert.AreEqual(1, log.Count(l => l.Contains("window has been full", StringComparison.Ordinal)), string.Join("\n", log));
    }

    /// <summary>An intake that accepts every post (202) and counts them; nothing behind it processes anything.</summary>
    private sealed class AcceptingIntake : IDisposable
    {
        private readonly HttpListener listener = new();
        private int posts;

        public AcceptingIntake()
        {
            var port = FreePort();
            Url = new Uri($"http://127.0.0.1:{port}/intake/");
            listener.Prefixes.Add(Url.ToString());
            listener.Start();
            _ = AnswerAsync();
        }

        public Uri Url { get; }

        public int Posts => Volatile.Read(ref posts);

        private async Task AnswerAsync()
        {
            while (listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await listener.GetContextAsync();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }
                Interlocked.Increment(ref posts);
                context.Response.StatusCode = (int)HttpStatusCode.Accepted;
                context.Response.Close();
            }
        }

        private static int FreePort()
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            return ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        public void Dispose() => listener.Close();
    }
}
