using System.Text.Json;
using Microsoft.OpenApi;

namespace Campaigns.Tests.Infrastructure.OpenApi;

/// <summary>
/// The API's OpenAPI document as a judge of HTTP exchanges. Every response: its status is declared for the
/// operation, its body is of a declared media type and valid against that schema, its required headers
/// are there. Every request the API accepted (2xx): its parameters and JSON body are valid, as a
/// validating proxy in front of the API would require. Requests the document does not describe
/// (health, the console, /openapi itself, probes of unknown paths) are skipped.
/// </summary>
public sealed class OpenApiContract
{
    private readonly IReadOnlyList<(PathTemplate Template, IReadOnlyDictionary<HttpMethod, ContractOperation> Operations)> _paths;

    private OpenApiContract(IReadOnlyList<(PathTemplate, IReadOnlyDictionary<HttpMethod, ContractOperation>)> paths) => _paths = paths;

    /// <summary>Every operation of the document, by name (<c>GET /customers/{id}</c>).</summary>
    public IReadOnlyList<string> Operations => [.. _paths.SelectMany(path => path.Operations.Values.Select(operation => operation.Name))];

    /// <summary>Reads the document (Microsoft.OpenApi) and builds every schema in it (JsonSchema.Net), once.</summary>
    public static OpenApiContract Parse(string documentJson)
    {
        var read = OpenApiDocument.Parse(documentJson, "json");
        if (read.Document is not { } document || read.Diagnostic?.Errors is { Count: > 0 })
        {
            var errors = read.Diagnostic?.Errors.Select(error => $"{error.Pointer}: {error.Message}") ?? [];
            throw new InvalidOperationException($"The OpenAPI document does not read: {string.Join("; ", errors)}");
        }
        using var text = JsonDocument.Parse(documentJson);
        var schemas = new DocumentSchemas(text.RootElement.Clone());
        var paths = (document.Paths ?? []).Select(path => (
                Template: PathTemplate.Parse(path.Key),
                Operations: (IReadOnlyDictionary<HttpMethod, ContractOperation>)(path.Value.Operations ?? []).ToDictionary(
                    operation => operation.Key,
                    operation => ContractOperation.Build(path.Key, path.Value, operation.Key, operation.Value, schemas))))
            .ToList();
        // The most specific first, so the first match is the one routing picks.
        paths.Sort((a, b) => a.Template.CompareSpecificity(b.Template));
        return new OpenApiContract(paths);
    }

    /// <summary>The operation a request is for, and its path's values; null when the document has no such path or method.</summary>
    internal (ContractOperation Operation, Dictionary<string, string> PathValues)? Find(HttpMethod method, string path)
    {
        var segments = PathTemplate.Split(path);
        foreach (var (template, operations) in _paths)
        {
            if (template.TryMatch(segments, out var values))
            {
                // OpenAPI matches the path first: a method it lacks there is not looked for on another path.
                return operations.TryGetValue(method, out var operation) ? (operation, values) : null;
            }
        }
        return null;
    }

    /// <summary>Checks one exchange. The response body is buffered, so the caller can still read it.</summary>
    public Task<ContractVerdict> CheckAsync(HttpRequestMessage request, HttpResponseMessage response, CancellationToken cancellationToken) =>
        CheckAsync(request, request.Content, response, cancellationToken);

    /// <param name="content">The request's content as it was before sending (see <see cref="OpenApiConformanceHandler"/>).</param>
    public async Task<ContractVerdict> CheckAsync(HttpRequestMessage request, HttpContent? content, HttpResponseMessage response,
        CancellationToken cancellationToken)
    {
        // HttpClient has made the address absolute (BaseAddress) by the time a handler sees it.
        var uri = request.RequestUri is { IsAbsoluteUri: true } absolute ? absolute : new Uri(new Uri("http://api"), request.RequestUri!);
        var requestLine = $"{request.Method} {uri.PathAndQuery}";
        if (Find(request.Method, uri.AbsolutePath) is not var (operation, pathValues))
        {
            return ContractVerdict.Skipped(requestLine, (int)response.StatusCode);
        }
        var seen = await HttpExchange.ReadAsync(response, cancellationToken);
        var hasBody = seen.Body.Length > 0 && request.Method != HttpMethod.Head;
        var mismatches = operation.CheckResponse(seen, hasBody).ToList();
        if (seen.Status is >= 200 and < 300)
        {
            mismatches.AddRange(operation.CheckRequest(await HttpExchange.ReadAsync(request, content, pathValues, cancellationToken)));
        }
        return new ContractVerdict(operation.Name, requestLine, seen.Status, mismatches);
    }
}
