using Campaigns.Api.Errors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Campaigns.Api.Webhooks;

/// <summary>The webhooks' own refusals, in the contract's envelope.</summary>
public static class WebhookProblems
{
    /// <summary>
    /// A provider without credentials has no webhooks here: the same answer as an unknown route, so a
    /// prober learns nothing about which providers are set up.
    /// </summary>
    public static ProblemHttpResult NotConfigured() =>
        ApiProblem.Create(StatusCodes.Status404NotFound, ErrorCodes.NotFound, ErrorCodes.DefaultMessage(ErrorCodes.NotFound));

    public static ProblemHttpResult InvalidSignature(string proof) =>
        ApiProblem.Create(StatusCodes.Status401Unauthorized, ErrorCodes.InvalidSignature, $"The request's {proof} is missing or wrong");

    /// <summary>Meta's verification request presented the wrong token (or is not a subscription).</summary>
    public static ProblemHttpResult VerificationRefused() =>
        ApiProblem.Create(StatusCodes.Status403Forbidden, ErrorCodes.InvalidSignature,
            "hub.mode must be subscribe and hub.verify_token the configured verify token");
}
