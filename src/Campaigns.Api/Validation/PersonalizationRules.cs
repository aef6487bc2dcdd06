using Campaigns.Api.Contracts;
using Campaigns.Api.Errors;
using Campaigns.Core.Personalization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Campaigns.Api.Validation;

/// <summary>The rules of a campaign's <c>personalization</c> (api.md Part 2, "Personalization").</summary>
public static class PersonalizationRules
{
    public const int MaxInstructionsLength = 1_000;
    private const string Field = "personalization";

    /// <param name="channel">The campaign's channel (after the change, for an update), when known: max_length is held to its template limit.</param>
    public static void Check(ValidationErrors errors, PersonalizationRequest personalization, string? channel)
    {
        if (personalization.Mode is null)
        {
            errors.Add($"{Field}.mode", $"{Field}.mode is required: {string.Join(", ", PersonalizationModes.All)}");
        }
        else if (!PersonalizationModes.All.Contains(personalization.Mode))
        {
            errors.Add($"{Field}.mode", $"{Field}.mode must be one of {string.Join(", ", PersonalizationModes.All)}");
        }
        TextRules.CheckRequired(errors, $"{Field}.instructions", personalization.Instructions, MaxInstructionsLength);
        if (personalization.MaxLength is { } maxLength)
        {
            var limit = channel is null ? CampaignRules.MaxWhatsAppTemplateLength : CampaignRules.MaxTemplateLength(channel);
            if (maxLength < 1 || maxLength > limit)
            {
                errors.Add($"{Field}.max_length", $"{Field}.max_length must be between 1 and {limit}");
            }
        }
    }

    /// <summary>A personalized or auto-translated campaign needs a model: 400 <c>AI_NOT_CONFIGURED</c> without one.</summary>
    public static ProblemHttpResult? NeedsModel(PersonalizationModel model, bool personalized, bool autoTranslate = false) =>
        (personalized || autoTranslate) && !model.IsConfigured
            ? ApiProblem.Create(StatusCodes.Status400BadRequest, ErrorCodes.AiNotConfigured,
                $"{(personalized ? "personalization" : "auto_translate")} needs a language model, and none is configured (ConnectionStrings:ai)")
            : null;

    /// <summary>A validated request as stored.</summary>
    public static CampaignPersonalization? ToStored(PersonalizationRequest? personalization) =>
        personalization is null ? null : new CampaignPersonalization(personalization.Mode!, personalization.Instructions!, personalization.MaxLength);
}
