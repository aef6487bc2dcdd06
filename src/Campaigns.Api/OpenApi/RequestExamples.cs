using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Campaigns.Api.OpenApi;

/// <summary>A ready-to-send example body for each operation that takes one (the import has its own: <see cref="ImportRequestBody"/>).</summary>
public static class RequestExamples
{
    private static readonly Dictionary<string, (string Name, string Json)[]> ByOperation = new()
    {
        ["CreateCustomer"] = [("customer", """{ "phone": "+254712345678", "first_name": "Amina", "last_name": "Otieno", "location": "Nairobi", "preferred_product": "Shoes" }""")],
        ["UpdateCustomer"] =
        [
            ("opt out", """{ "opted_out": true }"""),
            ("clear a field", """{ "preferred_product": null }"""),
            ("set the time zone", """{ "timezone": "Africa/Lagos" }"""),
            ("time zone from the phone again", """{ "timezone": null }"""),
        ],
        ["CreateCampaign"] =
        [
            ("now", """{ "name": "December offer", "channel": "sms", "base_template": "Hi {first_name}! {preferred_product} are 20% off in {location} this week." }"""),
            ("scheduled", """{ "name": "Habari", "channel": "whatsapp", "base_template": "Habari {first_name} 👋", "scheduled_at": "2026-12-24T07:00:00Z" }"""),
        ],
        ["UpdateCampaign"] = [("rename", """{ "name": "December offer (v2)" }"""), ("unschedule", """{ "scheduled_at": null }""")],
        ["PreviewCampaign"] =
        [
            ("the campaign's template", """{ "customer_id": 42 }"""),
            ("another template", """{ "customer_id": 42, "override_template": "Hello {first_name}, {location} misses you" }"""),
        ],
        ["SendCampaign"] =
        [
            ("listed customers", """{ "customer_ids": [42, 43, 44] }"""),
            ("a filter", """{ "audience": { "location": "Nairobi" } }"""),
            ("everyone", """{ "audience": {} }"""),
        ],
    };

    public static Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var operation in ApiDocumentTransformer.Operations(document))
        {
            if (operation.OperationId is { } id && ByOperation.TryGetValue(id, out var examples)
                && operation.RequestBody?.Content?.TryGetValue("application/json", out var json) == true)
            {
                json.Examples = examples.ToDictionary(
                    example => example.Name,
                    example => (IOpenApiExample)new OpenApiExample { Summary = example.Name, Value = JsonNode.Parse(example.Json) });
            }
        }
        return Task.CompletedTask;
    }
}
