using System.Globalization;
using Campaigns.Api.Errors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Campaigns.Api.Validation;

/// <summary>Path ids arrive as text so that "abc", "0" and "-1" get a 400, not a routing 404.</summary>
public static class PathIds
{
    public static bool TryParse(string? raw, out long id) =>
        long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id > 0;

    public static ProblemHttpResult Invalid(string name) =>
        ApiProblem.Validation(name, $"{name} must be a positive integer");
}
