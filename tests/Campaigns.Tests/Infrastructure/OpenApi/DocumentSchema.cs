using System.Text.Json;
using Json.Schema;

namespace Campaigns.Tests.Infrastructure.OpenApi;

/// <summary>One built schema of the document. Evaluation only reads it, so every thread shares it.</summary>
internal sealed class DocumentSchema(JsonSchema schema, DocumentSchemas document)
{
    private const int ErrorsShown = 5;

    // OpenAPI's own formats (int32, int64, double) are unknown to JsonSchema.Net and pass; date-time is checked.
    private static readonly EvaluationOptions Fast = new() { OutputFormat = OutputFormat.Flag, RequireFormatValidation = true };
    private static readonly EvaluationOptions Explained = new() { OutputFormat = OutputFormat.List, RequireFormatValidation = true };

    /// <summary>Nothing when <paramref name="instance"/> is valid; else its first errors, each with where it is.</summary>
    public IReadOnlyList<string> Validate(JsonElement instance)
    {
        // The cheap flag answer first: almost every instance is valid, and only a failure needs explaining.
        if (schema.Evaluate(instance, Fast).IsValid)
        {
            return [];
        }
        var results = schema.Evaluate(instance, Explained);
        var errors = new[] { results }.Concat(results.Details ?? [])
            .Where(node => node.Errors is { Count: > 0 })
            .SelectMany(node => node.Errors!.Select(error => Describe(node, error.Key, error.Value, instance)))
            .Distinct()
            .ToList();
        return errors.Count switch
        {
            0 => ["invalid (no error reported)"],
            > ErrorsShown => [.. errors.Take(ErrorsShown), $"… {errors.Count - ErrorsShown} more"],
            _ => errors,
        };
    }

    private string Describe(EvaluationResults node, string keyword, string message, JsonElement instance)
    {
        var location = node.InstanceLocation;
        // A value is quoted where it is short to say; an object or array is named by where it is.
        var value = location.Evaluate(instance) is { ValueKind: not (JsonValueKind.Object or JsonValueKind.Array) } found ? " = " + Quote(found) : "";
        var detail = keyword == "enum" && document.At(node.SchemaLocation, "enum") is { } values ? " " + Quote(values) : "";
        return $"{JsonPath.From(location.ToString())}{value}: {message}{detail} [{keyword}]";
    }

    private static string Quote(JsonElement element)
    {
        var text = element.GetRawText();
        // A long string keeps its closing quote, so the report can tell the value from the message.
        return text.Length <= 80 ? text : text[..76] + (element.ValueKind == JsonValueKind.String ? "…\"" : "…");
    }
}
