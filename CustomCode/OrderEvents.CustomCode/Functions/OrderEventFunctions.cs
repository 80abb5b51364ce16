namespace OrderEvents.CustomCode.Functions;

/// <summary>
/// The custom-code functions the workflows call (<c>InvokeFunction</c>). One partial file per area
/// (contracts, mapping, storage, settlement); each public method marked <see cref="WorkflowFunctionAttribute"/>
/// is one function. Methods never throw for bad input: they return a result that names the problem.
/// </summary>
public sealed partial class OrderEventFunctions
{
    private readonly CustomCodeServices services;

    public OrderEventFunctions(CustomCodeServices services) => this.services = services;
}
