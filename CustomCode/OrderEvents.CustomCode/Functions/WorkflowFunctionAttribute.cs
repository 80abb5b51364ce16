namespace OrderEvents.CustomCode.Functions;

/// <summary>
/// Marks a method of <see cref="OrderEventFunctions"/> as a custom-code function that workflows call by name
/// (action type <c>InvokeFunction</c>, <c>inputs.functionName</c>). Parameter names are the names of the
/// action's <c>inputs.parameters</c>; the Logic Apps host project mirrors each one with <c>[Function]</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class WorkflowFunctionAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
