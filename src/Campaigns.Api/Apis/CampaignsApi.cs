using Microsoft.OpenApi;
using Campaigns.Api.OpenApi;
using Campaigns.Api.Contracts;
using Campaigns.Api.Data;
using Campaigns.Api.Errors;
using Campaigns.Api.Languages;
using Campaigns.Api.Links;
using Campaigns.Api.Paging;
using Campaigns.Api.Timing;
using Campaigns.Api.Validation;
using Campaigns.Core.Content;
using Campaigns.Core.Domain;
using Campaigns.Core.Personalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Campaigns.Api.Apis;

/// <summary>Campaign definitions: create, list, read with stats, change before sending, delete.</summary>
public static class CampaignsApi
{
    public static IEndpointRouteBuilder MapCampaignsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/campaigns").WithTags("Campaigns").WithSingleQueryValues();

        group.MapPost("/", CreateCampaign).WithName(nameof(CreateCampaign))
            .WithSummary("Create a campaign (draft, or scheduled when scheduled_at is given)")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .AddOpenApiOperationTransformer(AiNotConfiguredResponse.TransformAsync);
        group.MapGet("/", ListCampaigns).WithName(nameof(ListCampaigns))
            .WithSummary("List campaigns, newest first, with stats")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapGet("/{id}", GetCampaign).WithName(nameof(GetCampaign))
            .WithSummary("Get a campaign with its delivery stats")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPatch("/{id}", UpdateCampaign).WithName(nameof(UpdateCampaign))
            .WithSummary("Change a campaign that was never sent")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .AddOpenApiOperationTransformer(AiNotConfiguredResponse.TransformAsync);
        group.MapDelete("/{id}", DeleteCampaign).WithName(nameof(DeleteCampaign))
            .AddOpenApiOperationTransformer(IgnoredRequestBody.TransformAsync)
            .WithSummary("Delete a campaign and its messages (not while it is sending or paused)")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    public static async Task<Results<Created<SavedCampaignResponse>, ProblemHttpResult>> CreateCampaign(
        CreateCampaignRequest request, CampaignStore store, IOptions<TemplateOptions> templates, IOptions<LinkTrackingOptions> links, TimeProvider clock,
        PersonalizationModel model, TranslationCheck translationCheck, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        CampaignRules.CheckName(errors, request.Name);
        var channelValid = CampaignRules.CheckChannel(errors, request.Channel);
        var linkPrefix = request.TrackLinks ? links.Value.Prefix : null;
        CampaignRules.CheckTemplate(errors, "base_template", request.BaseTemplate, channelValid ? request.Channel : null, templates.Value,
            linkPrefix);
        var variants = VariantRules.CheckVariants(errors, request.Variants, channelValid ? request.Channel : null, templates.Value, linkPrefix);
        var abTest = VariantRules.CheckAbTest(errors, request.AbTest, hasVariants: request.Variants is not null);
        CampaignRules.CheckScheduledAt(errors, request.ScheduledAt, clock);
        if (request.WhatsAppTemplate is { } whatsAppTemplate)
        {
            CampaignRules.CheckWhatsAppTemplate(errors, whatsAppTemplate, channelValid ? request.Channel : null, templates.Value);
        }
        if (request.SendWindow is { } window)
        {
            TimingRules.CheckSendWindow(errors, window);
        }
        var validity = request.Validity is { } given ? TimingRules.CheckValidity(errors, given) : null;
        if (request.Personalization is { } personalization)
        {
            PersonalizationRules.Check(errors, personalization, channelValid ? request.Channel : null);
        }
        var translations = CampaignRules.CheckTranslations(errors, request.Translations, channelValid ? request.Channel : null, templates.Value,
            request.TrackLinks ? links.Value.Prefix : null);
        var defaultLanguage = request.DefaultLanguage is null ? CampaignContent.DefaultLanguage
            : CampaignRules.CheckLanguage(errors, "default_language", request.DefaultLanguage);
        if (errors.Any)
        {
            return errors.ToProblem();
        }
        if (PersonalizationRules.NeedsModel(model, request.Personalization is not null, request.AutoTranslate) is { } noModel)
        {
            return noModel;
        }

        var row = await store.CreateAsync(new NewCampaign(request.Name!, request.Channel!, request.BaseTemplate!,
            request.ScheduledAt?.UtcDateTime, ToStored(request.WhatsAppTemplate), request.SendWindow?.Normalized(), validity,
            request.TrackLinks, PersonalizationRules.ToStored(request.Personalization), variants, abTest)
            {
                Translations = translations,
                DefaultLanguage = defaultLanguage!,
                AutoTranslate = request.AutoTranslate,
            },
            cancellationToken);
        return TypedResults.Created($"/campaigns/{row.Id}", Saved(row, translationCheck));
    }

    public static async Task<Results<Ok<PagedResponse<CampaignResponse>>, ProblemHttpResult>> ListCampaigns(
        [WireType(JsonSchemaType.Integer)] string? page, [FromQuery(Name = "page_size"), WireType(JsonSchemaType.Integer)] string? pageSize, string? cursor,
        [ValuesOf(typeof(Channel))] string? channel, [ValuesOf(typeof(CampaignStatus))] string? status,
        CampaignStore store, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var pageRequest = PageRequest.Parse(page, pageSize, cursor, errors);
        if (channel is not null && !Channel.All.Contains(channel))
        {
            errors.Add("channel", "channel must be one of sms, whatsapp");
        }
        if (status is not null && !CampaignStatus.All.Contains(status))
        {
            errors.Add("status", $"status must be one of {string.Join(", ", CampaignStatus.All)}");
        }
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var (rows, total) = await store.ListAsync(pageRequest, channel, status, cancellationToken);
        if (pageRequest.DepthProblem(total) is { } tooDeep)
        {
            return tooDeep;
        }
        return TypedResults.Ok(PagedResponse<CampaignResponse>.From(pageRequest, rows, total, r => r.Id, r => r.ToResponse()));
    }

    public static async Task<Results<Ok<CampaignResponse>, ProblemHttpResult>> GetCampaign(
        PathId id, CampaignStore store, CancellationToken cancellationToken)
    {
        var row = await store.GetAsync(id, cancellationToken);
        if (row is null)
        {
            return ApiProblem.CampaignNotFound(id);
        }
        // Per-variant counters are counted from the campaign's messages: for one campaign's page, never for a list.
        var variantStats = row.Variants.Variants is { } variants ? await store.GetVariantStatsAsync(id, variants, cancellationToken) : null;
        return TypedResults.Ok(row.ToResponse(variantStats));
    }

    public static async Task<Results<Ok<SavedCampaignResponse>, ProblemHttpResult>> UpdateCampaign(
        PathId id, UpdateCampaignRequest request, CampaignStore store, IOptions<TemplateOptions> templates, IOptions<LinkTrackingOptions> links,
        TimeProvider clock, PersonalizationModel model, TranslationCheck translationCheck,
        CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (request.Name.HasValue)
        {
            CampaignRules.CheckName(errors, request.Name.Value);
        }
        var channelValid = !request.Channel.HasValue || CampaignRules.CheckChannel(errors, request.Channel.Value);
        if (request.ScheduledAt.HasValue)
        {
            CampaignRules.CheckScheduledAt(errors, request.ScheduledAt.Value, clock);
        }
        if (request.SendWindow is { HasValue: true, Value: { } window })
        {
            TimingRules.CheckSendWindow(errors, window);
        }
        var validity = request.Validity is { HasValue: true, Value: { } given } ? TimingRules.CheckValidity(errors, given) : null;
        var defaultLanguage = request.DefaultLanguage.HasValue
            ? CampaignRules.CheckLanguage(errors, "default_language", request.DefaultLanguage.Value)
            : null;
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var current = await store.GetAsync(id, cancellationToken);
        if (current is null)
        {
            return ApiProblem.CampaignNotFound(id);
        }
        if (!IsEditable(current))
        {
            return NotEditable(current);
        }

        // The template limit depends on the channel the campaign will have after the change.
        var channel = request.Channel.HasValue && channelValid ? request.Channel.Value! : current.Channel;
        // So does tracking: a tracked URL counts at the short link's length, longer or shorter than its own.
        var trackLinks = request.TrackLinks.HasValue ? request.TrackLinks.Value : current.TrackLinks;
        if (request.BaseTemplate.HasValue || request.Channel.HasValue || request.TrackLinks.HasValue)
        {
            var template = request.BaseTemplate.HasValue ? request.BaseTemplate.Value : current.BaseTemplate;
            CampaignRules.CheckTemplate(errors, "base_template", template, channel, templates.Value, trackLinks ? links.Value.Prefix : null);
        }
        // Translations are held to base_template's rules: checked again when those change.
        var translations = request.Translations.HasValue ? request.Translations.Value : CampaignTranslations.FromJson(current.TranslationsJson);
        if (request.Translations.HasValue || request.Channel.HasValue || request.TrackLinks.HasValue)
        {
            translations = CampaignRules.CheckTranslations(errors, translations, channel, templates.Value, trackLinks ? links.Value.Prefix : null);
        }
        // Variants follow base_template's rules: checked again when the channel or tracking changes.
        var linkPrefix = trackLinks ? links.Value.Prefix : null;
        var variants = request.Variants.HasValue
            ? VariantRules.CheckVariants(errors, request.Variants.Value, channel, templates.Value, linkPrefix)
            : null;
        if (!request.Variants.HasValue && (request.Channel.HasValue || request.TrackLinks.HasValue) && current.Variants.Variants is { } kept)
        {
            VariantRules.CheckVariants(errors, [.. kept.Select(VariantRules.AsRequest)], channel, templates.Value, linkPrefix);
        }
        var hasVariants = request.Variants.HasValue ? request.Variants.Value is not null : current.Variants.Variants is not null;
        var abTest = request.AbTest.HasValue ? VariantRules.CheckAbTest(errors, request.AbTest.Value, hasVariants) : null;
        if (!request.AbTest.HasValue && !hasVariants && current.Variants.AbTest is not null)
        {
            errors.Add("variants", "The campaign has an ab_test, which needs variants: remove it too (ab_test: null)");
        }
        if (request.WhatsAppTemplate.HasValue && request.WhatsAppTemplate.Value is { } whatsAppTemplate)
        {
            CampaignRules.CheckWhatsAppTemplate(errors, whatsAppTemplate, channel, templates.Value);
        }
        else if (!request.WhatsAppTemplate.HasValue && current.WhatsAppTemplateJson is not null && channel != Channel.WhatsApp)
        {
            errors.Add("channel", $"Campaign {id} has a whatsapp_template: remove it (whatsapp_template: null) to make it {channel}");
        }
        if (request.Personalization.HasValue && request.Personalization.Value is { } personalization)
        {
            PersonalizationRules.Check(errors, personalization, channel);
        }
        if (errors.Any)
        {
            return errors.ToProblem();
        }
        var personalized = request.Personalization.HasValue ? request.Personalization.Value is not null : current.PersonalizationJson is not null;
        var autoTranslate = request.AutoTranslate.HasValue ? request.AutoTranslate.Value : current.AutoTranslate;
        if (PersonalizationRules.NeedsModel(model, personalized, autoTranslate) is { } noModel)
        {
            return noModel;
        }

        var changes = new CampaignChanges(
            request.Name.HasValue ? request.Name.Value : null,
            request.Channel.HasValue ? request.Channel.Value : null,
            request.BaseTemplate.HasValue ? request.BaseTemplate.Value : null,
            request.ScheduledAt.HasValue,
            request.ScheduledAt.Value?.UtcDateTime,
            request.WhatsAppTemplate.HasValue,
            ToStored(request.WhatsAppTemplate.Value))
        {
            SetSendWindow = request.SendWindow.HasValue,
            SendWindow = request.SendWindow.Value?.Normalized(),
            SetValidity = request.Validity.HasValue,
            Validity = validity,
            TrackLinks = request.TrackLinks.HasValue ? request.TrackLinks.Value : null,
            SetPersonalization = request.Personalization.HasValue,
            Personalization = PersonalizationRules.ToStored(request.Personalization.Value),
            SetTranslations = request.Translations.HasValue,
            Translations = translations,
            DefaultLanguage = defaultLanguage,
            SetVariants = request.Variants.HasValue,
            Variants = variants,
            SetAbTest = request.AbTest.HasValue,
            AbTest = abTest,
            AutoTranslate = request.AutoTranslate.HasValue ? request.AutoTranslate.Value : null,
        };
        var updated = await store.UpdateIfEditableAsync(id, changes, cancellationToken);
        if (updated is not null)
        {
            return TypedResults.Ok(Saved(updated, translationCheck));
        }
        // Sent (or deleted) between the read and the write.
        var now = await store.GetAsync(id, cancellationToken);
        return now is null ? ApiProblem.CampaignNotFound(id) : NotEditable(now);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteCampaign(
        PathId id, CampaignStore store, CancellationToken cancellationToken)
    {
        return await store.DeleteUnlessSendingAsync(id, cancellationToken) switch
        {
            true => TypedResults.NoContent(),
            false => ApiProblem.NotSendable($"Campaign {id} is being sent; pause does not allow deleting it, cancel it first"),
            null => ApiProblem.CampaignNotFound(id),
        };
    }

    /// <summary>The answer of create and update: the campaign and a warning for each translation that does not look like its language.</summary>
    private static SavedCampaignResponse Saved(CampaignRow row, TranslationCheck check)
    {
        var campaign = row.ToResponse();
        return new SavedCampaignResponse(campaign, check.Warnings(campaign.Translations, campaign.Variants));
    }

    /// <summary>A validated request template as stored.</summary>
    private static WhatsAppTemplate? ToStored(WhatsAppTemplateRequest? template) =>
        template is null ? null : new WhatsAppTemplate(template.Name!, template.Language!, template.Parameters!);

    private static bool IsEditable(CampaignRow campaign) =>
        campaign.AudienceAttachedAt is null && campaign.Status is CampaignStatus.Draft or CampaignStatus.Scheduled;

    private static ProblemHttpResult NotEditable(CampaignRow campaign) =>
        ApiProblem.NotSendable(campaign.AudienceAttachedAt is not null
            ? $"Campaign {campaign.Id} has been sent (status {campaign.Status}) and can no longer be changed"
            : $"Campaign {campaign.Id} is {campaign.Status} and can no longer be changed");
}
