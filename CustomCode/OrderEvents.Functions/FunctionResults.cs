using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Functions;

namespace OrderEvents.Functions;

/// <summary>
/// Turns a library result into the action's <c>body</c> exactly as the local runtime does (<see cref="ResultJson"/>: the
/// tokens of <see cref="FunctionCatalog.ResultSerializer"/>, camelCase, enums as text, without running the serializer per
/// call), so workflows read the same property names in Azure and locally; how the Logic Apps runtime itself would case
/// a returned POCO is not documented.
/// </summary>
internal static class FunctionResults
{
    public static JToken ToBody(object? result) => ResultJson.ToJToken(result, FunctionCatalog.ResultSerializer);

    public static async Task<JToken> ToBodyAsync<T>(Task<T> result) => ToBody(await result.ConfigureAwait(false));
}
