using System.Collections.Concurrent;
using Newtonsoft.Json.Linq;
using Workflows.Runtime.Bindings;
using Workflows.Runtime.Definitions;
using Workflows.Runtime.Expressions;
using Workflows.Runtime.Expressions.Values;
using Workflows.Runtime.History;
using Workflows.Runtime.Schema;

namespace Workflows.Runtime.Engine;

/// <summary>
/// Runs a <see cref="LogicApp"/>'s workflows: fires triggers, executes runs, records them in run history.
/// </summary>
public sealed class WorkflowEngine : IDisposable
{
    /// <summary>Runs per workflow when the trigger sets no concurrency (host default Runtime.Trigger.MaximumRunConcurrency).</summary>
    public const int DefaultMaximumRunConcurrency = 100;

    private readonly Dictionary<string, IServiceProviderBinding> bindings = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, IOpenApiConnectionBinding> openApiBindings = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> runSlots = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<RunExecution, Task> inFlight = new();
    private readonly Func<TimeSpan, CancellationToken, Task> delay;
    private static readonly AsyncLocal<WorkflowRun?> current = new();
    private long runCounter;
    private volatile bool stopping;

    public WorkflowEngine(LogicApp app, EngineOptions? options = null)
    {
        App = app;
        Options = options ?? new EngineOptions();
        History = Options.RunHistory ?? new InMemoryRunHistory();
        Clock = Options.TimeProvider;
        Random = Options.Random ?? Random.Shared;
        HttpClient = new HttpClient(Options.HttpMessageHandler ?? new SocketsHttpHandler(), disposeHandler: Options.HttpMessageHandler is null)
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        delay = Options.Delay ?? ((wait, ct) => Task.Delay(wait, Clock, ct));
        foreach (var binding in Options.ServiceProviderBindings) bindings[binding.ServiceProviderId] = binding;
        foreach (var binding in Options.OpenApiConnectionBindings) openApiBindings[binding.ApiName] = binding;
    }

    public LogicApp App { get; }

    public EngineOptions Options { get; }

    public IRunHistory History { get; }

    /// <summary>Raised after every run has finished and been recorded (not for a run interrupted by a stop).</summary>
    public event Action<WorkflowRun>? RunCompleted;

    /// <summary>The run whose action is executing on this flow of execution (bindings and functions it calls see it), or null.</summary>
    public static WorkflowRun? CurrentRun => current.Value;

    /// <summary>True once <see cref="StopAsync"/> began: no run starts any more.</summary>
    public bool IsStopping => stopping;

    /// <summary>How many runs are executing now.</summary>
    public int RunsInFlight => inFlight.Count;

    internal TimeProvider Clock { get; }

    internal Random Random { get; }

    internal HttpClient HttpClient { get; }

    internal Task DelayAsync(TimeSpan wait, CancellationToken cancellationToken) => delay(wait, cancellationToken);

    /// <summary>
    /// Fires a workflow's trigger with the given outputs (e.g. <c>{"body": [...]}</c> from a connector). With
    /// <c>splitOn</c>, one run per item; trigger <c>conditions</c> that are false start no run. Returns the
    /// runs once they have all finished. The engine takes <paramref name="triggerOutputs"/> as they are: the run keeps
    /// them (with <c>splitOn</c>, each run keeps its item, taken out of the array), so the caller must not change them.
    /// </summary>
    public async Task<IReadOnlyList<WorkflowRun>> TriggerAsync(string workflowName, JObject triggerOutputs, CancellationToken cancellationToken = default)
    {
        var definition = App.GetWorkflow(workflowName);
        var started = await FireAsync(definition, triggerOutputs, null, null, cancellationToken).ConfigureAwait(false);
        var runs = new List<WorkflowRun>(started.Count);
        foreach (var run in started) runs.Add(await run.Completion.ConfigureAwait(false));
        return runs;
    }

    /// <summary>
    /// Calls a Request trigger as an HTTP caller would. Answers with what the Response action sends, or
    /// 202 Accepted right away when the workflow has no Response action (or debatches with splitOn), or
    /// 502 NoResponse when the run ends without responding. <see cref="RequestTriggerResponse.Run"/> is the run.
    /// </summary>
    public async Task<RequestTriggerResponse> InvokeRequestTriggerAsync(
        string workflowName,
        string? triggerName,
        string method,
        JObject? headers,
        JToken? body,
        JObject? queries,
        CancellationToken cancellationToken = default)
    {
        var definition = App.GetWorkflow(workflowName);
        var trigger = definition.Trigger;
        if (trigger.Kind != TriggerKind.Request || (triggerName is not null && !trigger.Name.Equals(triggerName, StringComparison.OrdinalIgnoreCase)))
            return Problem(404, "TriggerNotFound", $"The workflow '{workflowName}' has no Request trigger named '{triggerName ?? "(any)"}'.");
        if (trigger.Json.SelectToken("inputs.method")?.ToString() is { Length: > 0 } allowed && !allowed.Equals(method, StringComparison.OrdinalIgnoreCase))
            return Problem(405, "MethodNotAllowed", $"The trigger '{trigger.Name}' accepts '{allowed.ToUpperInvariant()}' requests, not '{method.ToUpperInvariant()}'.");

        headers = headers is null ? new JObject() : (JObject)headers.DeepClone();
        // The caller's access token stays out of run history unless the trigger opts in (Learn, "Secure access and data
        // in Azure Logic Apps", "Include 'Authorization' header in Request or HTTP webhook trigger outputs").
        if (!trigger.OperationOptions.Contains("IncludeAuthorizationHeadersInOutputs"))
        {
            foreach (var header in headers.Properties().Where(p => p.Name.Equals("Authorization", StringComparison.OrdinalIgnoreCase)).ToList()) header.Remove();
        }
        var outputs = new JObject { ["headers"] = headers };
        if (body is not null) outputs["body"] = body;
        if (queries is { Count: > 0 }) outputs["queries"] = queries;

        if (trigger.OperationOptions.Contains("EnableSchemaValidation") && trigger.Schema is { Count: > 0 } schema)
        {
            var errors = JsonSchemaValidator.Validate(body ?? JValue.CreateNull(), schema);
            if (errors.Count > 0)
            {
                var error = new JObject
                {
                    ["code"] = "TriggerInputSchemaMismatch",
                    ["message"] = "The input body for trigger '" + trigger.Name + "' of type 'Request' did not match its schema definition. Error details: '" +
                                  string.Join(" ", errors.Select(e => e.ToJson().Value<string>("message"))) + "'.",
                    ["details"] = new JArray(errors.Select(e => e.ToJson())),
                };
                return new RequestTriggerResponse(400, new JObject(), new JObject { ["error"] = error }, null);
            }
        }

        var inputs = new JObject { ["method"] = method.ToUpperInvariant() };
        var runs = await FireAsync(definition, outputs, inputs, null, cancellationToken, out var executions).ConfigureAwait(false);
        if (runs.Count == 0) return new RequestTriggerResponse(202, new JObject(), null, null);
        var run = runs[0];
        var workflowHeaders = WorkflowHeaders(run);
        if (!definition.HasResponseAction || trigger.SplitOn is not null || runs.Count > 1)
            return new RequestTriggerResponse(202, workflowHeaders, null, run);

        var answer = await executions[0].Response.ConfigureAwait(false);
        var responseHeaders = (JObject)answer.Headers.DeepClone();
        if (!trigger.OperationOptions.Contains("SuppressWorkflowHeadersOnResponse"))
        {
            foreach (var header in workflowHeaders.Properties()) responseHeaders[header.Name] ??= header.Value;
        }
        return new RequestTriggerResponse(answer.StatusCode, responseHeaders, answer.Body, run);
    }

    /// <summary>Runs a finished run again with the same trigger outputs (the portal's Resubmit); returns the new, finished run.</summary>
    public async Task<WorkflowRun> ResubmitAsync(string runId, CancellationToken cancellationToken = default)
    {
        var original = History.Find(runId) ?? throw new KeyNotFoundException($"No run with id '{runId}' is in the run history.");
        if (!original.IsCompleted)
            throw new InvalidOperationException($"Run '{runId}' is still {original.Status}; only completed runs (Succeeded, Failed, Cancelled) can be resubmitted.");
        var definition = App.GetWorkflow(original.WorkflowName);
        var outputs = (JObject)original.Trigger.RawOutputs.DeepClone();
        var run = await StartRunAsync(definition, outputs, original.Trigger.RawInputs?.DeepClone(), original.Trigger.ScheduledTime, original.Id, cancellationToken).ConfigureAwait(false);
        return await run.Run.Completion.ConfigureAwait(false);
    }

    /// <summary>
    /// Compiles every workflow's <c>.csx</c> scripts ahead of the first run and returns how many there are. Roslyn takes
    /// seconds to compile the first one; done on a first delivery, that delay counts against the message locks of the
    /// messages waiting behind it. A script that does not compile is reported by the runs that call it, as before.
    /// </summary>
    public async Task<int> PrepareScriptsAsync()
    {
        var scripts = App.Workflows.Values
            .SelectMany(w => w.Actions.Values)
            .Where(a => a.Kind == ActionKind.CSharpScriptCode && a.CodeFilePath is not null)
            .Select(a => a.CodeFilePath!)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        await Task.WhenAll(scripts.Select(Scripting.CSharpScriptAction.PrepareAsync)).ConfigureAwait(false);
        return scripts.Count;
    }

    /// <summary>
    /// Starts every ServiceProvider, OpenApiConnectionWebhook and Recurrence trigger of the app and keeps them firing until
    /// <paramref name="cancellationToken"/> is cancelled; then stops the runs in flight where they are (<see cref="StopAsync"/>):
    /// a stopping host does not wait for Waits or retries, the runs resume from their checkpoints on the next start.
    /// Request triggers are fired by the host through <see cref="InvokeRequestTriggerAsync"/>.
    /// </summary>
    public async Task StartTriggersAsync(CancellationToken cancellationToken)
    {
        var listeners = new List<Task>();
        foreach (var definition in App.Workflows.Values)
        {
            switch (definition.Trigger.Kind)
            {
                case TriggerKind.ServiceProvider:
                    listeners.Add(RunServiceProviderTriggerAsync(definition, cancellationToken));
                    break;
                case TriggerKind.Recurrence:
                    listeners.Add(RunRecurrenceAsync(definition, cancellationToken));
                    break;
                case TriggerKind.OpenApiConnectionWebhook:
                    listeners.Add(RunOpenApiWebhookTriggerAsync(definition, cancellationToken));
                    break;
            }
        }
        try
        {
            await Task.WhenAll(listeners).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        await StopAsync().ConfigureAwait(false);
    }

    /// <summary>Completes when no run is in flight.</summary>
    public async Task WhenIdleAsync()
    {
        while (!inFlight.IsEmpty) await Task.WhenAll(inFlight.Values.ToArray()).ConfigureAwait(false);
    }

    /// <summary>
    /// The host is stopping: no run starts any more, and every run in flight stops where it is (an action in flight does not
    /// complete; Waits and retry intervals are not waited for). A durable history keeps each one at its checkpoint, and
    /// <see cref="ResumeUnfinishedRunsAsync"/> continues them on the next start. Completes once every run has stopped.
    /// </summary>
    public async Task StopAsync()
    {
        stopping = true;
        foreach (var execution in inFlight.Keys) execution.Interrupt();
        await WhenIdleAsync().ConfigureAwait(false);
    }

    /// <summary>Stops one run where it is, as if the host died during it (fault injection): the action in flight does not
    /// complete, and the run stays Running at its checkpoint until <see cref="ResumeAsync"/>. False when it is not in flight.</summary>
    public bool Interrupt(WorkflowRun run)
    {
        foreach (var execution in inFlight.Keys)
        {
            if (ReferenceEquals(execution.Run, run))
            {
                execution.Interrupt();
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Resumes every run the history holds unfinished (runs a host that stopped or died left Running), each from its last
    /// checkpoint, as Azure does after an outage. Returns the resumed runs, which continue in the background.
    /// </summary>
    public async Task<IReadOnlyList<WorkflowRun>> ResumeUnfinishedRunsAsync(CancellationToken cancellationToken = default)
    {
        var running = inFlight.Keys.Select(e => e.Run.Id).ToHashSet(StringComparer.Ordinal);
        var resumed = new List<WorkflowRun>();
        foreach (var checkpoint in History.Unfinished())
        {
            if (running.Contains(checkpoint.Run.Id)) continue;
            resumed.Add(await ResumeAsync(checkpoint, cancellationToken).ConfigureAwait(false));
        }
        return resumed;
    }

    /// <summary>
    /// Continues a run from <paramref name="checkpoint"/> under the same id: the actions it completed keep their records
    /// and are not executed again; what was in flight runs again; a Wait in progress ends when it was due. Returns the run,
    /// which continues in the background (<see cref="WorkflowRun.Completion"/>).
    /// </summary>
    public async Task<WorkflowRun> ResumeAsync(RunCheckpoint checkpoint, CancellationToken cancellationToken = default)
    {
        var saved = checkpoint.Run;
        var run = new WorkflowRun(saved.Id, saved.WorkflowName, saved.Trigger, saved.StartTime, saved.ClientTrackingId)
        {
            ResubmittedFrom = saved.ResubmittedFrom,
            Response = saved.Response,
        };
        if (!App.Workflows.TryGetValue(saved.WorkflowName, out var definition))
        {
            run.Status = WorkflowStatus.Failed;
            run.EndTime = Clock.GetUtcNow();
            run.Error = new JObject
            {
                ["code"] = "WorkflowNotFound",
                ["message"] = $"The run could not be resumed: the logic app no longer has the workflow '{saved.WorkflowName}'.",
            };
            History.Record(run);
            run.Complete();
            return run;
        }
        var slots = runSlots.GetOrAdd(definition.Name, _ => new SemaphoreSlim(definition.Trigger.ConcurrentRuns ?? DefaultMaximumRunConcurrency));
        await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (stopping)
        {
            slots.Release();
            throw new OperationCanceledException("The engine is stopping.");
        }
        var execution = new RunExecution(this, definition, run, checkpoint, CancellationToken.None);
        History.Record(run);
        Start(execution, slots);
        return run;
    }

    private async Task RunServiceProviderTriggerAsync(WorkflowDefinition definition, CancellationToken cancellationToken)
    {
        var trigger = definition.Trigger;
        var inputs = EvaluateTriggerInputs(definition);
        var configuration = inputs["serviceProviderConfiguration"] as JObject ?? new JObject();
        var serviceProviderId = configuration.Value<string>("serviceProviderId") ?? "";
        var connectionName = configuration.Value<string>("connectionName") ?? "";
        var binding = ServiceProviderBinding(serviceProviderId)
                      ?? throw new InvalidOperationException($"Workflow '{definition.Name}': no binding serves the service provider '{serviceProviderId}' of trigger '{trigger.Name}'.");
        var connection = ServiceProviderConnectionOrThrow(connectionName, message => new InvalidOperationException($"Workflow '{definition.Name}' trigger '{trigger.Name}': {message}"));
        var request = new ServiceProviderRequest(
            definition.Name,
            trigger.Name,
            serviceProviderId,
            configuration.Value<string>("operationId") ?? "",
            connectionName,
            connection["parameterValues"] as JObject ?? new JObject(),
            inputs["parameters"] as JObject ?? new JObject());
        await binding.RunTriggerAsync(request, (outputs, ct) => FireAsync(definition, outputs, inputs, null, ct), cancellationToken).ConfigureAwait(false);
    }

    private async Task RunOpenApiWebhookTriggerAsync(WorkflowDefinition definition, CancellationToken cancellationToken)
    {
        var inputs = EvaluateTriggerInputs(definition);
        var request = Actions.OpenApiConnectionAction.Request(this, definition.Name, definition.Trigger.Name, inputs);
        var binding = OpenApiConnectionBinding(request.ApiName)
                      ?? throw new InvalidOperationException($"Workflow '{definition.Name}': no binding serves the API '{request.ApiId}' of trigger '{definition.Trigger.Name}'.");
        await binding.RunWebhookTriggerAsync(request, (outputs, ct) => FireAsync(definition, outputs, inputs, null, ct), cancellationToken).ConfigureAwait(false);
    }

    private async Task RunRecurrenceAsync(WorkflowDefinition definition, CancellationToken cancellationToken)
    {
        var schedule = definition.Trigger.Recurrence!;
        var now = Clock.GetUtcNow();
        var next = schedule.StartTime ?? now;
        while (next < now) next = Advance(next, schedule);
        var inputs = new JObject { ["recurrence"] = definition.Trigger.Json["recurrence"]?.DeepClone() };
        while (!cancellationToken.IsCancellationRequested)
        {
            var wait = next - Clock.GetUtcNow();
            if (wait > TimeSpan.Zero) await DelayAsync(wait, cancellationToken).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            await FireAsync(definition, new JObject(), inputs, next, cancellationToken).ConfigureAwait(false);
            next = Advance(next, schedule);
        }
    }

    private static DateTimeOffset Advance(DateTimeOffset time, RecurrenceSchedule schedule) => schedule.Frequency switch
    {
        "Second" => time.AddSeconds(schedule.Interval),
        "Minute" => time.AddMinutes(schedule.Interval),
        "Hour" => time.AddHours(schedule.Interval),
        "Day" => time.AddDays(schedule.Interval),
        "Week" => time.AddDays(7 * schedule.Interval),
        _ => time.AddMonths(schedule.Interval),
    };

    private JObject EvaluateTriggerInputs(WorkflowDefinition definition)
    {
        try
        {
            return definition.Trigger.Inputs.Evaluate(new TriggerScope(this, definition, null)) as JObject ?? new JObject();
        }
        catch (Exception ex) when (ex is WdlExpressionException or ExpressionScopeException)
        {
            throw new TriggerFailedException(definition.Name, definition.Trigger.Name, $"its inputs can't be evaluated: {ex.Message}");
        }
    }

    private Task<IReadOnlyList<WorkflowRun>> FireAsync(WorkflowDefinition definition, JObject outputs, JToken? inputs, DateTimeOffset? scheduled, CancellationToken cancellationToken) =>
        FireAsync(definition, outputs, inputs, scheduled, cancellationToken, out _);

    /// <summary>One trigger firing: conditions, splitOn, then one run per item (each waits for a concurrency slot).</summary>
    private Task<IReadOnlyList<WorkflowRun>> FireAsync(
        WorkflowDefinition definition, JObject outputs, JToken? inputs, DateTimeOffset? scheduled, CancellationToken cancellationToken, out List<RunExecution> executions)
    {
        var trigger = definition.Trigger;
        // Built only if an expression asks for trigger() itself (a selection inside its inputs or outputs, such as
        // triggerBody() or triggerOutputs()?['body'], reads them as they are: only a child is handed on). Without splitOn the run keeps these outputs, so the record
        // gets a copy (the outputs keep no parent: no clone later); with splitOn the runs keep only debatched copies,
        // so the batch's outputs can be adopted as they are.
        var scope = new TriggerScope(this, definition, () => new JObject
        {
            ["name"] = trigger.Name,
            ["inputs"] = inputs is null ? null : JsonTree.Copy(inputs),
            ["outputs"] = trigger.SplitOn is null ? JsonTree.Copy(outputs) : outputs,
        }, wantInputs => wantInputs ? inputs : outputs);
        executions = [];
        foreach (var condition in trigger.Conditions)
        {
            if (!Condition.RequireBoolean(EvaluateTriggerExpression(definition, condition, scope, "conditions"), "trigger condition"))
                return Task.FromResult<IReadOnlyList<WorkflowRun>>([]);
        }

        List<JObject> batch;
        if (trigger.SplitOn is null)
        {
            batch = [outputs];
        }
        else
        {
            var items = EvaluateTriggerExpression(definition, trigger.SplitOn, scope, "splitOn");
            if (items is not JArray array)
                throw new TriggerFailedException(definition.Name, trigger.Name,
                    $"its splitOn expression '{trigger.Json["splitOn"]}' evaluated to a value of type '{Condition.TypeName(items)}'; it must be an array.");
            // The engine owns the outputs it is given (see TriggerAsync): items of the firing's own array are taken out of
            // it and handed to their runs as they are. An array from elsewhere (e.g. a parameter) is copied item by item.
            var owned = Root(array) == outputs || Root(array) == scope.BuiltRecord;
            var taken = new List<JToken>(array.Count);
            for (var i = 0; i < array.Count; i++) taken.Add(array[i]);
            if (owned) array.RemoveAll();
            batch = new List<JObject>(taken.Count);
            foreach (var item in taken)
            {
                var debatched = new JObject();
                for (var property = (JProperty?)outputs.First; property is not null; property = (JProperty?)property.Next)
                {
                    if (property.Name != "body") debatched[property.Name] = JsonTree.Copy(property.Value);
                }
                debatched["body"] = owned ? item : JsonTree.Adoptable(item);
                batch.Add(debatched);
            }
        }
        return StartBatchAsync(definition, batch, inputs, scheduled, cancellationToken, executions);
    }

    private static JToken Root(JToken token)
    {
        while (token.Parent is { } parent) token = parent;
        return token;
    }

    private async Task<IReadOnlyList<WorkflowRun>> StartBatchAsync(
        WorkflowDefinition definition, List<JObject> batch, JToken? inputs, DateTimeOffset? scheduled, CancellationToken cancellationToken, List<RunExecution> executions)
    {
        var runs = new List<WorkflowRun>(batch.Count);
        foreach (var outputs in batch)
        {
            var started = await StartRunAsync(definition, outputs, inputs, scheduled, null, cancellationToken).ConfigureAwait(false);
            executions.Add(started);
            runs.Add(started.Run);
        }
        return runs;
    }

    private JToken EvaluateTriggerExpression(WorkflowDefinition definition, CompiledTemplate template, IExpressionScope scope, string property)
    {
        try
        {
            return template.Evaluate(scope);
        }
        catch (Exception ex) when (ex is WdlExpressionException or ExpressionScopeException)
        {
            throw new TriggerFailedException(definition.Name, definition.Trigger.Name, $"its {property} expression can't be evaluated: {ex.Message}");
        }
    }

    /// <summary>Waits for a concurrency slot, then starts the run in the background.</summary>
    private async Task<RunExecution> StartRunAsync(
        WorkflowDefinition definition, JObject outputs, JToken? inputs, DateTimeOffset? scheduled, string? resubmittedFrom, CancellationToken cancellationToken)
    {
        var slots = runSlots.GetOrAdd(definition.Name, _ => new SemaphoreSlim(definition.Trigger.ConcurrentRuns ?? DefaultMaximumRunConcurrency));
        await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        RunExecution execution;
        try
        {
            if (stopping) throw new OperationCanceledException("The engine is stopping: no run starts any more.");
            execution = CreateRun(definition, outputs, inputs, scheduled, resubmittedFrom);
        }
        catch
        {
            slots.Release();
            throw;
        }
        History.Record(execution.Run);
        Start(execution, slots);
        return execution;
    }

    /// <summary>Runs the execution in the background; it counts as in flight until it has finished or stopped.</summary>
    private void Start(RunExecution execution, SemaphoreSlim slots)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        inFlight[execution] = done.Task;
        _ = ExecuteAsync(execution, slots, done);
    }

    private RunExecution CreateRun(WorkflowDefinition definition, JObject outputs, JToken? inputs, DateTimeOffset? scheduled, string? resubmittedFrom)
    {
        var trigger = definition.Trigger;
        var now = Clock.GetUtcNow();
        var runId = NewRunId(now);
        var clientTrackingId = runId;
        var triggerRun = new TriggerRun(trigger.Name, trigger.Type, inputs, outputs, now, Timestamps.NewTrackingId(), trigger.SecureInputs, trigger.SecureOutputs)
        {
            ScheduledTime = scheduled,
        };
        if (trigger.ClientTrackingId is not null)
        {
            var scope = new TriggerScope(this, definition, triggerRun.ToRecord, wantInputs => wantInputs ? triggerRun.RawInputs : triggerRun.RawOutputs);
            var value = EvaluateTriggerExpression(definition, trigger.ClientTrackingId, scope, "correlation.clientTrackingId");
            if (value.Type is not (JTokenType.Null or JTokenType.Undefined) && value.ToString().Length > 0) clientTrackingId = value.ToString();
        }
        triggerRun.ClientTrackingId = clientTrackingId;
        var run = new WorkflowRun(runId, definition.Name, triggerRun, now, clientTrackingId, definition.AllActions.Count) { ResubmittedFrom = resubmittedFrom };
        return new RunExecution(this, definition, run, CancellationToken.None);
    }

    private async Task ExecuteAsync(RunExecution execution, SemaphoreSlim slots, TaskCompletionSource done)
    {
        current.Value = execution.Run;
        try
        {
            // A durable history stores a new run before its first action (a resumed run is stored already).
            await History.WhenDurable(execution.Run).ConfigureAwait(false);
            await execution.ExecuteAsync().ConfigureAwait(false);
        }
        finally
        {
            slots.Release();
            if (execution.IsInterrupted) Stopped(execution, done);
            else Finished(execution, done);
        }
    }

    /// <summary>An interrupted run: its state at this moment is what a resume continues from; nobody gets a result.</summary>
    private void Stopped(RunExecution execution, TaskCompletionSource done)
    {
        var run = execution.Run;
        execution.FinishResponse(new RunResponse(503, new JObject(), new JObject
        {
            ["error"] = new JObject
            {
                ["code"] = "ServiceUnavailable",
                ["message"] = $"The workflow run was interrupted because the host stopped; it resumes from its last checkpoint. Request tracking id '{run.Trigger.TrackingId}'.",
            },
        }));
        try
        {
            History.Interrupted(execution.Capture());
        }
        finally
        {
            inFlight.TryRemove(execution, out _);
            done.TrySetResult();
            run.Interrupt(RunInterruptedException.Stopped(run));
        }
    }

    private void Finished(RunExecution execution, TaskCompletionSource done)
    {
        var run = execution.Run;
        execution.FinishResponse(new RunResponse(502, new JObject(), new JObject
        {
            ["error"] = new JObject
            {
                ["code"] = "NoResponse",
                ["message"] = $"The server did not receive a response from an upstream server. Request tracking id '{run.Trigger.TrackingId}'.",
            },
        }));
        run.ReleaseRecords();
        try
        {
            History.Record(run);
        }
        finally
        {
            inFlight.TryRemove(execution, out _);
            done.TrySetResult();
            run.Complete();
        }
        RunCompleted?.Invoke(run);
    }

    /// <summary>Azure-shaped run ids: reversed ticks (newest sorts first), a counter, and a scale-unit suffix.</summary>
    private string NewRunId(DateTimeOffset now)
    {
        var sequence = Interlocked.Increment(ref runCounter);
        return $"{DateTime.MaxValue.Ticks - now.UtcTicks:D20}{sequence % 1_000_000_000:D9}CU00";
    }

    private static JObject WorkflowHeaders(WorkflowRun run) => new()
    {
        ["x-ms-workflow-run-id"] = run.Id,
        ["x-ms-workflow-name"] = run.WorkflowName,
        ["x-ms-client-tracking-id"] = run.ClientTrackingId,
        ["x-ms-trigger-history-name"] = run.Id,
        ["x-ms-tracking-id"] = run.Trigger.TrackingId,
    };

    private static RequestTriggerResponse Problem(int status, string code, string message) =>
        new(status, new JObject(), new JObject { ["error"] = new JObject { ["code"] = code, ["message"] = message } }, null);

    internal IServiceProviderBinding? ServiceProviderBinding(string serviceProviderId) => bindings.GetValueOrDefault(serviceProviderId);

    internal IOpenApiConnectionBinding? OpenApiConnectionBinding(string apiName) => openApiBindings.GetValueOrDefault(apiName);

    internal JObject ServiceProviderConnection(string name) =>
        ServiceProviderConnectionOrThrow(name, message => ActionFailure.BadRequest("ConnectionNotFound", message));

    private JObject ServiceProviderConnectionOrThrow(string name, Func<string, Exception> fail)
    {
        if (App.ConnectionErrors.TryGetValue(name, out var error)) throw fail(error);
        return App.ServiceProviderConnections.TryGetValue(name, out var connection)
            ? connection
            : throw fail($"The connection '{name}' is not defined in connections.json 'serviceProviderConnections'.");
    }

    internal JObject ManagedApiConnection(string name)
    {
        if (App.ConnectionErrors.TryGetValue(name, out var error)) throw ActionFailure.BadRequest("ConnectionNotFound", error);
        return App.ManagedApiConnections.TryGetValue(name, out var connection)
            ? connection
            : throw ActionFailure.BadRequest("ConnectionNotFound", $"The connection '{name}' is not defined in connections.json 'managedApiConnections'.");
    }

    public void Dispose() => HttpClient.Dispose();
}

/// <summary>What a Request trigger answers its caller. <see cref="Run"/> is null when no run started.</summary>
public sealed record RequestTriggerResponse(int StatusCode, JObject Headers, JToken? Body, WorkflowRun? Run);

/// <summary>A trigger could not fire (its splitOn, conditions or correlation could not be evaluated): no run started.</summary>
public sealed class TriggerFailedException(string workflowName, string triggerName, string problem)
    : Exception($"The trigger '{triggerName}' of workflow '{workflowName}' failed: {problem}")
{
    public string WorkflowName { get; } = workflowName;
    public string TriggerName { get; } = triggerName;
}
