using Campaigns.Api.Errors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Campaigns.Api.Validation;

/// <summary>Collects field errors so one response names every problem of a request.</summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    /// <summary>How many fields have errors (a rule compares it before and after its checks).</summary>
    public int Count => _errors.Count;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages))
        {
            _errors[field] = messages = [];
        }
        messages.Add(message);
    }

    public ProblemHttpResult ToProblem() =>
        ApiProblem.Validation(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
}
