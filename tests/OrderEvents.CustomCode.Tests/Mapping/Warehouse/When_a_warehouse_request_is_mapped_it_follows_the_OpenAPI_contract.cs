using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Mapping.Warehouse;

namespace OrderEvents.CustomCode.Tests.Mapping.Warehouse;

[TestClass]
public sealed class When_a_warehouse_request_is_mapped_it_follows_the_OpenAPI_contract
{
    private static readonly Lazy<JObject> Contract = new(() =>
        JObject.Parse(File.ReadAllText(RepositoryRoot.PathOf("Artifacts/OpenApi/warehouse-inventory.openapi.json"))));

    [TestMethod]
    [DataRow("OrderCreated", "POST", "/reservations", "createReservation")]
    [DataRow("OrderUpdated", "PUT", "/reservations/{orderId}", "replaceReservation")]
    [DataRow("OrderCancelled", "POST", "/reservations/{orderId}/release", "releaseReservation")]
    public void Each_event_type_maps_to_its_contract_operation(string eventType, string method, string pathTemplate, string operationId)
    {
        var request = OrderEventSamples.Functions().MapToWarehouseRequest(OrderEventSamples.Event(eventType));

        Assert.IsTrue(request.ShouldCall);
        Assert.AreEqual(method, request.Method);
        Assert.AreEqual(pathTemplate.Replace("{orderId}", "SO-100482"), request.Path);
        var operation = FindOperation(request.Method!, request.Path!, out var matchedTemplate);
        Assert.AreEqual(pathTemplate, matchedTemplate);
        Assert.AreEqual(operationId, (string?)operation["operationId"]);
        Assert.AreEqual(operationId, request.OperationId);
        AssertIdempotencyHeaderDeclared(operation, request.IdempotencyKey!);
        AssertBodySatisfies(Resolve(operation.SelectToken("requestBody.content['application/json'].schema")!), request.Body!, "body");
    }

    [TestMethod]
    public void Every_operation_declares_the_status_codes_a_subscriber_must_handle()
    {
        foreach (var (_, operation) in Operations())
        {
            var responses = (JObject)operation["responses"]!;
            foreach (var status in new[] { "409", "422", "429", "503" }) Assert.IsNotNull(responses[status], $"{operation["operationId"]} lacks {status}");
            foreach (var status in new[] { "429", "503" })
                Assert.IsNotNull(Resolve(responses[status]!).SelectToken("headers['Retry-After']"), $"{operation["operationId"]} {status} lacks Retry-After");
        }
        Assert.IsNotNull(Contract.Value.SelectToken("paths['/reservations'].post.responses['201']"));
        Assert.IsNotNull(Contract.Value.SelectToken("paths['/reservations'].post.responses['200']"));
    }

    [TestMethod]
    public void The_idempotency_key_is_the_same_for_the_same_message_and_differs_between_messages()
    {
        var functions = OrderEventSamples.Functions();
        var first = functions.MapToWarehouseRequest(OrderEventSamples.Event()).IdempotencyKey;
        var redelivered = functions.MapToWarehouseRequest(OrderEventSamples.Event().With("correlationId", "other")).IdempotencyKey;
        var otherMessage = functions.MapToWarehouseRequest(OrderEventSamples.Event().With("messageId", "order-100482-created-v2")).IdempotencyKey;

        Assert.AreEqual(first, redelivered);
        Assert.AreNotEqual(first, otherMessage);
        Assert.AreEqual(WarehouseRequestMapper.IdempotencyKey("order-100482-ordercreated-v1"), first);
        StringAssert.Matches(first, new System.Text.RegularExpressions.Regex("^[0-9a-f]{64}$"));
        var expected = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("warehouse-inventory:order-100482-ordercreated-v1"))).ToLowerInvariant();
        Assert.AreEqual(expected, first, "hex SHA-256 of 'warehouse-inventory:{messageId}'");
    }

    [TestMethod]
    public void The_order_id_is_escaped_as_one_path_segment()
    {
        var request = OrderEventSamples.Functions().MapToWarehouseRequest(OrderEventSamples.Event("OrderCancelled").With("data.orderId", "A/B ?#"));

        Assert.AreEqual("/reservations/A%2FB%20%3F%23/release", request.Path);
    }

    [TestMethod]
    public void A_cancellation_carries_its_reason_without_control_characters()
    {
        var request = OrderEventSamples.Functions().MapToWarehouseRequest(OrderEventSamples.Event("OrderCancelled").With("data.cancellationReason", "Customer\r\nrequest"));

        Assert.AreEqual("Customer request", (string?)request.Body!["reason"]);
    }

    [TestMethod]
    public void Bad_input_is_reported_without_a_request()
    {
        var functions = OrderEventSamples.Functions();
        var zero = functions.MapToWarehouseRequest(OrderEventSamples.Event().With("data.lines", new JArray(new JObject { ["sku"] = "M", ["quantity"] = 0 })));
        var noLines = functions.MapToWarehouseRequest(OrderEventSamples.Event("OrderUpdated").With("data.lines", null));
        var unknown = functions.MapToWarehouseRequest(OrderEventSamples.Event("OrderShipped"));
        var control = functions.MapToWarehouseRequest(OrderEventSamples.Event().With("data.lines", new JArray(new JObject { ["sku"] = "M\u001b[31m", ["quantity"] = 1 })));

        Assert.AreEqual("NonPositiveQuantity", zero.Errors.Single().Code);
        Assert.AreEqual("MissingField", noLines.Errors.Single().Code);
        Assert.AreEqual("UnknownEventType", unknown.Errors.Single().Code);
        Assert.AreEqual("InvalidSku", control.Errors.Single().Code);
        foreach (var request in new[] { zero, noLines, unknown, control })
        {
            Assert.IsFalse(request.ShouldCall);
            Assert.AreEqual("InvalidOrderEvent", request.SkipReason);
            Assert.IsNull(request.Path);
        }
    }

    [TestMethod]
    public void A_cancellation_without_lines_is_still_released() =>
        Assert.IsTrue(OrderEventSamples.Functions().MapToWarehouseRequest(OrderEventSamples.Event("OrderCancelled").With("data.lines", null)).ShouldCall);

    private static IEnumerable<(string Template, JObject Operation)> Operations()
    {
        foreach (var path in ((JObject)Contract.Value["paths"]!).Properties())
            foreach (var method in ((JObject)path.Value).Properties().Where(p => p.Name != "parameters"))
                yield return (path.Name, (JObject)method.Value);
    }

    private static JObject FindOperation(string method, string path, out string template)
    {
        foreach (var candidate in ((JObject)Contract.Value["paths"]!).Properties())
        {
            var pattern = "^" + System.Text.RegularExpressions.Regex.Escape(candidate.Name).Replace("\\{orderId}", "[^/]+") + "$";
            if (System.Text.RegularExpressions.Regex.IsMatch(path, pattern) && candidate.Value[method.ToLowerInvariant()] is JObject operation)
            {
                template = candidate.Name;
                return operation;
            }
        }
        Assert.Fail($"{method} {path} is not in the contract");
        template = "";
        return null!;
    }

    private static void AssertIdempotencyHeaderDeclared(JObject operation, string key)
    {
        var header = ((JArray)operation["parameters"]!).Select(Resolve).Single(p => (string?)p["name"] == "Idempotency-Key");
        Assert.AreEqual("header", (string?)header["in"]);
        Assert.IsTrue((bool)header["required"]!);
        StringAssert.Matches(key, new System.Text.RegularExpressions.Regex((string)header.SelectToken("schema.pattern")!));
    }

    /// <summary>Checks the parts of JSON Schema the contract uses: required, types, minItems, additionalProperties, nested $refs.</summary>
    private static void AssertBodySatisfies(JToken schema, JToken value, string path)
    {
        var type = (string?)schema["type"];
        switch (type)
        {
            case "object":
                Assert.AreEqual(JTokenType.Object, value.Type, path);
                var obj = (JObject)value;
                foreach (var required in schema["required"] ?? new JArray())
                    Assert.IsNotNull(obj[(string)required!], $"{path}.{required} is required by the contract");
                var properties = (JObject?)schema["properties"] ?? new JObject();
                foreach (var property in obj.Properties())
                {
                    if (properties[property.Name] is { } propertySchema) AssertBodySatisfies(Resolve(propertySchema), property.Value, $"{path}.{property.Name}");
                    else Assert.AreNotEqual(false, (bool?)schema["additionalProperties"], $"{path}.{property.Name} is not in the contract");
                }
                break;
            case "array":
                Assert.AreEqual(JTokenType.Array, value.Type, path);
                Assert.IsTrue(((JArray)value).Count >= ((int?)schema["minItems"] ?? 0), $"{path} has too few items");
                foreach (var item in (JArray)value) AssertBodySatisfies(Resolve(schema["items"]!), item, path + "[]");
                break;
            case "string":
                Assert.AreEqual(JTokenType.String, value.Type, path);
                break;
            case "number":
                Assert.IsTrue(value.Type is JTokenType.Integer or JTokenType.Float, path);
                if ((bool?)schema["exclusiveMinimum"] == true) Assert.IsTrue((decimal)value > (decimal)schema["minimum"]!, path);
                break;
        }
    }

    private static JToken Resolve(JToken node)
    {
        while (node["$ref"] is JValue reference)
        {
            var pointer = ((string)reference!).TrimStart('#', '/').Split('/');
            node = pointer.Aggregate((JToken)Contract.Value, (current, part) => current[part]!);
        }
        return node;
    }
}
