using System.Diagnostics;
using LocalLogicApp.Bindings.ServiceBus;
using LocalLogicApp.Hosting;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Simulation.Checking;
using Simulation.Clock;
using Simulation.Faults;
using Simulation.Observation;

namespace Simulation.Running;

/// <summary>What the simulation hands the host process it starts (and kills): one JSON file in the state folder.</summary>
public sealed record HostProcessConfig(
    string ProjectRoot, string StateFolder, string Clock, int Seed, JObject Profile, RemoteStandIns StandIns, int MaxConcurrentSessions, int RunHistoryMaxRuns)
{
    public const string FileName = "host-process.json";

    public void Write(string file) => File.WriteAllText(file, JsonConvert.SerializeObject(this, Formatting.Indented));

    public static HostProcessConfig Read(string file) =>
        JsonConvert.DeserializeObject<HostProcessConfig>(File.ReadAllText(file)) ?? throw new InvalidDataException($"{file} holds no host process configuration.");
}

/// <summary>
/// The host process of a simulation with <c>--crash-process</c>: the whole Logic App on the state folder, durable (SQLite
/// broker and run store, file storage), talking to the stand-ins of the simulation's process, with the run faults of the
/// profile. It tells the simulation on stdout, one JSON line each: <c>ready</c> (the intake URL), every finished
/// <c>run</c>, and a <c>status</c> every 200 ms (busy or idle, interrupted runs, storage operations, peak memory).
/// <c>stop</c> on stdin stops it cleanly; the simulation also kills it with SIGKILL, and starts it again, which resumes
/// the interrupted runs.
/// </summary>
public static class HostProcess
{
    public static async Task<int> RunAsync(string configFile, TextWriter output, CancellationToken cancellationToken)
    {
        var config = HostProcessConfig.Read(configFile);
        var clock = SimulatedClock.Parse(config.Clock);
        var profile = FaultProfile.Parse(config.Profile.ToString(), "host");
        var faults = new FaultInjector(profile, config.Seed + Environment.ProcessId);
        var runFaults = profile.FaultsRuns;
        var lake = LocalLogicApp.Storage.CustomCodeStorage.Options(LocalAppSettings.Compose(config.ProjectRoot, new Dictionary<string, string>())).LakeContainer;
        var gate = new Lock();
        void Tell(string kind, JToken body)
        {
            lock (gate) output.WriteLine(kind + " " + body.ToString(Formatting.None));
        }

        await using var host = await LocalLogicAppHost.StartAsync(DayStart.HostOptions(config.ProjectRoot, config.StateFolder, config.RunHistoryMaxRuns,
            clock, config.Seed, config.MaxConcurrentSessions, profile, faults, lake) with
        {
            RemoteStandIns = config.StandIns,
            Log = line => Console.Error.WriteLine(line),
        }, cancellationToken).ConfigureAwait(false);
        faults.Engine = host.Engine;
        faults.ServiceBus = host.ServiceBusConnector;
        using var sapHttp = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var sap = new LocalLogicApp.StandIns.Sap.SapGatewayClient(config.StandIns.SapGateway, sapHttp);
        faults.DropSapSession = session => sap.CloseSessionAsync(session, CancellationToken.None).GetAwaiter().GetResult();
        host.Engine.RunCompleted += run => Tell("run", JObject.Parse(RunObservation.Of(run).ToLine()));
        Tell("ready", new JObject { ["intake"] = host.IntakeUrl.ToString(), ["resumed"] = host.ResumedRuns.Count });

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var commands = Task.Run(async () =>
        {
            // "stop", or the simulation's end of stdin (it is gone): either way, stop.
            while (await Console.In.ReadLineAsync(stop.Token).ConfigureAwait(false) is { } line && line.Trim() != "stop")
            {
            }
            await stop.CancelAsync().ConfigureAwait(false);
        }, CancellationToken.None);
        using var process = Process.GetCurrentProcess();
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(200, stop.Token).ConfigureAwait(false);
                if (runFaults) await host.Engine.ResumeUnfinishedRunsAsync(stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            process.Refresh();
            var busy = host.Busy();
            Tell("status", new JObject
            {
                ["busy"] = new JArray(busy),
                ["unfinished"] = host.History.Unfinished().Count,
                ["storage"] = new JArray(Subscribers.All.Select(faults.StorageOperations)),
                ["peakWorkingSet"] = process.PeakWorkingSet64,
                ["crashes"] = faults.Crashes,
                ["lockLosses"] = faults.LockLosses,
                ["transients"] = faults.Transients,
            });
        }
        return 0;
    }
}
