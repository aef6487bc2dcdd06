using Microsoft.OpenApi;

namespace Campaigns.Tests.Infrastructure.OpenApi;

/// <summary>One operation of the document (<c>GET /customers/{id}</c>), every schema of it built once.</summary>
internal sealed class ContractOperation
{
    // OpenAPI: header parameters of these names are ignored; the request's content and security say them.
    private static readonly HashSet<string> IgnoredHeaders = new(["Accept", "Content-Type", "Authorization"], StringComparer.OrdinalIgnoreCase);

    private readonly IReadOnlyList<(ParameterLocation In, ContractParameter Parameter)> _parameters;
    private readonly ContractRequestBody? _body;
    private readonly IReadOnlyDictionary<string, ContractResponse> _responses;

    private ContractOperation(string name, PathTemplate template, IReadOnlyList<(ParameterLocation In, ContractParameter Parameter)> parameters,
        ContractRequestBody? body, IReadOnlyDictionary<string, ContractResponse> responses)
    {
        Name = name;
        Template = template;
        _parameters = parameters;
        _body = body;
        _responses = responses;
    }

    /// <summary>As the report names it: <c>GET /customers/{id}</c>.</summary>
    public string Name { get; }

    public PathTemplate Template { get; }

    public static ContractOperation Build(string path, IOpenApiPathItem item, HttpMethod method, OpenApiOperation operation, DocumentSchemas schemas)
    {
        var itemPointer = DocumentPointer.Locate(item, DocumentPointer.Append("", "paths", path));
        var pointer = DocumentPointer.Append(itemPointer, method.Method.ToLowerInvariant());
        var template = PathTemplate.Parse(path);

        // An operation's parameter replaces the path item's of the same name and location.
        var parameters = Parameters(item.Parameters, DocumentPointer.Append(itemPointer, "parameters"), schemas)
            .Concat(Parameters(operation.Parameters, DocumentPointer.Append(pointer, "parameters"), schemas))
            .GroupBy(parameter => (parameter.In, parameter.Parameter.Name))
            .Select(group => group.Last())
            .Where(parameter => parameter.In != ParameterLocation.Header || !IgnoredHeaders.Contains(parameter.Parameter.Name))
            .ToList();
        var body = operation.RequestBody is { } requestBody
            ? ContractRequestBody.Build(requestBody, DocumentPointer.Append(pointer, "requestBody"), schemas)
            : null;
        var responses = (operation.Responses ?? []).ToDictionary(
            response => response.Key.ToUpperInvariant(),
            response => ContractResponse.Build(response.Key, response.Value, DocumentPointer.Append(pointer, "responses", response.Key), schemas));
        return new ContractOperation($"{method.Method} {path}", template, parameters, body, responses);
    }

    private static IEnumerable<(ParameterLocation In, ContractParameter Parameter)> Parameters(IList<IOpenApiParameter>? declared, string pointer,
        DocumentSchemas schemas) =>
        (declared ?? []).Select((parameter, index) => (
            parameter.In ?? ParameterLocation.Query,
            ContractParameter.Build(parameter.Name ?? "", $"{Describe(parameter.In)} parameter", parameter.Required, parameter.Schema,
                DocumentPointer.Locate(parameter, DocumentPointer.Append(pointer, index.ToString(System.Globalization.CultureInfo.InvariantCulture))),
                schemas)));

    private static string Describe(ParameterLocation? location) => location?.ToString().ToLowerInvariant() ?? "query";

    /// <summary>The exact status first, then its range (<c>4XX</c>), then <c>default</c>.</summary>
    private ContractResponse? Find(int status) =>
        _responses.GetValueOrDefault(status.ToString(System.Globalization.CultureInfo.InvariantCulture))
        ?? _responses.GetValueOrDefault($"{status / 100}XX")
        ?? _responses.GetValueOrDefault("DEFAULT");

    public IEnumerable<string> CheckResponse(ResponseSeen response, bool hasBody)
    {
        if (Find(response.Status) is not { } declared)
        {
            return [$"status {response.Status} is not declared (declared: {string.Join(", ", _responses.Values.Select(r => r.Key))})"];
        }
        return declared.Check(response, hasBody);
    }

    /// <summary>What a validating proxy would refuse of a request the API accepted.</summary>
    public IEnumerable<string> CheckRequest(RequestSeen request)
    {
        foreach (var (location, parameter) in _parameters)
        {
            var values = location switch
            {
                ParameterLocation.Path => request.PathValues.TryGetValue(parameter.Name, out var value) ? [value] : null,
                ParameterLocation.Query => request.Query(parameter.Name),
                ParameterLocation.Header => request.Header(parameter.Name),
                _ => [],
            };
            foreach (var mismatch in parameter.Check(values))
            {
                yield return mismatch;
            }
        }
        foreach (var variable in request.PathValues.Keys.Where(variable => !_parameters.Any(p => p.In == ParameterLocation.Path && p.Parameter.Name == variable)))
        {
            yield return $"path variable {{{variable}}} has no path parameter";
        }
        if (_body is not null)
        {
            foreach (var mismatch in _body.Check(request.Body))
            {
                yield return mismatch;
            }
        }
    }
}
