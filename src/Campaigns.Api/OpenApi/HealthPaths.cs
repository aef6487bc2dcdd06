using System.Text.Json.Nodes;
using Campaigns.ServiceDefaults;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Campaigns.Api.OpenApi;

/// <summary>
/// <c>/health</c> and <c>/alive</c> (api.md, "Health"): part of the contract, public, but mapped as health
/// checks, which the document generator does not see, so they are described here.
/// </summary>
public static class HealthPaths
{
    private const string ReportSchemaId = "HealthReport";

    public static Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Paths ??= [];
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas[ReportSchemaId] = Report(WithDuration(Status()));
        document.Tags ??= new HashSet<OpenApiTag>();
        document.Tags.Add(new OpenApiTag { Name = "Health" });
        document.Paths[Extensions.HealthEndpointPath] = Path(document, "Health", "Postgres and Redis answer: 200, else 503; the answer of the last two seconds");
        document.Paths[Extensions.AlivenessEndpointPath] = Path(document, "Alive", "The process runs: 200");
        return Task.CompletedTask;
    }

    private static OpenApiPathItem Path(OpenApiDocument document, string name, string summary) => new()
    {
        Operations = new Dictionary<HttpMethod, OpenApiOperation>
        {
            [HttpMethod.Get] = Operation(document, $"Get{name}", summary, withBody: true),
            [HttpMethod.Head] = Operation(document, $"Head{name}", summary + " (status only)", withBody: false),
        },
    };

    private static OpenApiOperation Operation(OpenApiDocument document, string id, string summary, bool withBody) => new()
    {
        OperationId = id,
        Summary = summary,
        Tags = new HashSet<OpenApiTagReference> { new("Health", document) },
        // Public: no key needed.
        Security = [],
        Responses = new OpenApiResponses
        {
            ["200"] = Answer(document, "Healthy (or degraded)", withBody),
            ["503"] = Answer(document, "A check failed", withBody),
        },
    };

    private static OpenApiResponse Answer(OpenApiDocument document, string description, bool withBody) => new()
    {
        Description = description,
        Content = withBody
            ? new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = new OpenApiSchemaReference(ReportSchemaId, document) } }
            : null,
    };

    private static OpenApiSchema Report(OpenApiSchema entry)
    {
        var report = WithDuration(Status());
        report.Properties!["checks"] = new OpenApiSchema { Type = JsonSchemaType.Object, AdditionalProperties = entry, Description = "Each check by name (postgres, redis, self)" };
        report.Required!.Add("checks");
        return report;
    }

    private static OpenApiSchema WithDuration(OpenApiSchema schema)
    {
        schema.Properties!["duration_ms"] = new OpenApiSchema { Type = JsonSchemaType.Number, Minimum = "0" };
        schema.Required!.Add("duration_ms");
        return schema;
    }

    private static OpenApiSchema Status() => new()
    {
        Type = JsonSchemaType.Object,
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["status"] = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Enum = [JsonValue.Create("Healthy"), JsonValue.Create("Degraded"), JsonValue.Create("Unhealthy")],
            },
        },
        Required = new HashSet<string> { "status" },
    };
}
