using Campaigns.Api.Errors;
using Campaigns.Api.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace Campaigns.Api.Webhooks;

/// <summary>
/// Reads the form-encoded body Twilio and Africa's Talking post. Anything that is not one (another media
/// type, a form over the reader's limits) is 400 VALIDATION_ERROR, never 415 nor 500: the webhooks take
/// exactly this media type.
/// </summary>
public static class WebhookForm
{
    public const string MediaType = "application/x-www-form-urlencoded";

    public static async Task<(IFormCollection? Form, ProblemHttpResult? Problem)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
            || !contentType.MediaType.Equals(MediaType, StringComparison.OrdinalIgnoreCase))
        {
            return (null, ApiProblem.Validation("body", $"The body must be {MediaType}"));
        }
        try
        {
            return (await request.ReadFormAsync(cancellationToken), null);
        }
        catch (InvalidDataException)
        {
            // Too many fields, or a field too long: the reader's limits.
            return (null, ApiProblem.Validation("body", $"The body is not a readable {MediaType} form"));
        }
    }

    /// <summary>
    /// The required fields' single values, in the order named, or a VALIDATION_ERROR naming every field
    /// that is missing, empty or repeated.
    /// </summary>
    public static (string[] Values, ProblemHttpResult? Problem) Require(IFormCollection form, params string[] names)
    {
        var errors = new ValidationErrors();
        var values = new string[names.Length];
        for (var i = 0; i < names.Length; i++)
        {
            if (form.TryGetValue(names[i], out var given) && given is [{ Length: > 0 } value])
            {
                values[i] = value;
            }
            else
            {
                errors.Add(names[i], given.Count > 1 ? $"{names[i]} must be given once" : $"{names[i]} is required");
            }
        }
        return (values, errors.Any ? errors.ToProblem() : null);
    }

    /// <summary>The field's value, null when absent or empty.</summary>
    public static string? Optional(IFormCollection form, string name) =>
        form.TryGetValue(name, out var values) && values is [{ Length: > 0 } value] ? value : null;
}
