using Campaigns.Api.Contracts;
using Campaigns.Api.Data;
using Campaigns.Api.Errors;
using Campaigns.Api.Links;
using Campaigns.Api.Validation;
using Campaigns.Core.Content;
using Campaigns.Core.Domain;
using Campaigns.Core.Languages;
using Campaigns.Core.Personalization;
using Campaigns.Core.Links;
using Campaigns.Core.Recommendations;
using Campaigns.Core.Templates;
using Campaigns.Core.Translation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Campaigns.Api.Apis;

/// <summary>Shows what one customer would receive, with the SMS encoding and segment count.</summary>
public static class PreviewApi
{
    public static IEndpointRouteBuilder MapPreviewApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/campaigns/{id}/personalized-preview", PreviewCampaign).WithTags("Campaigns")
            .WithName(nameof(PreviewCampaign))
            .WithSummary("Render the campaign's (or an override) template for one customer")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<Results<Ok<PreviewResponse>, ProblemHttpResult>> PreviewCampaign(
        PathId id, PreviewRequest request, CampaignStore campaigns, CustomerStore customers, IOptions<TemplateOptions> templates,
        IOptions<LinkTrackingOptions> links, RecipientLanguages languages, IProductRecommender recommender, NpgsqlDataSource dataSource,
        MessagePersonalizer personalizer, TemplateTranslator translator,
        CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (request.CustomerId is not > 0)
        {
            errors.Add("customer_id", "customer_id is required and must be a positive integer");
        }
        if (request.OverrideTemplate is not null)
        {
            CampaignRules.CheckTemplate(errors, "override_template", request.OverrideTemplate, channel: null, templates.Value);
        }
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var campaign = await campaigns.GetAsync(id, cancellationToken);
        if (campaign is null)
        {
            return ApiProblem.CampaignNotFound(id);
        }
        var content = campaign.Content();
        if (request.Variant is { } asked && content.Variant(asked) is null)
        {
            errors.Add("variant", content.HasVariants
                ? $"variant must be one of the campaign's variants: {string.Join(", ", content.Variants.Select(v => v.Key))}"
                : $"Campaign {id} has no variants");
            return errors.ToProblem();
        }
        var linkPrefix = campaign.TrackLinks ? links.Value.Prefix : null;
        if (request.OverrideTemplate is not null)
        {
            // Now that the channel is known, its own limits apply (and tracking's, when the campaign tracks links).
            CampaignRules.CheckTemplate(errors, "override_template", request.OverrideTemplate, campaign.Channel, templates.Value, linkPrefix);
            if (errors.Any)
            {
                return errors.ToProblem();
            }
        }
        var customer = await customers.GetAsync(request.CustomerId!.Value, cancellationToken);
        if (customer is null)
        {
            return ApiProblem.CustomerNotFound(request.CustomerId.Value);
        }

        // The variant asked for, else the customer's own (as the send picks it); the customer's language picks among its
        // templates, as at send. An override replaces them all and is written in the campaign's default_language.
        var variant = content.HasVariants ? request.Variant ?? VariantAssignment.Pick(campaign.Id, customer.Id, content.Variants) : null;
        var rendering = request.OverrideTemplate is { } given ? new CampaignContent(given, campaign.DefaultLanguage) : content;
        var row = customer.ToRecipientRow();
        if (request.OverrideTemplate is null && campaign.AutoTranslate)
        {
            // auto_translate: the model's translation of the customer's template (their variant's, with variants) for their
            // language when none is stored (an answer of that moment, not stored: the send asks again, once per language).
            var auto = AutoTranslations.For(translator, campaign.Id, campaign.Channel, campaign.OwnContent(), campaign.AutoTranslationsJson,
                templates.Value, linkPrefix, onlyVariant: variant);
            await auto.LearnAsync([languages.Resolve(row.Language, row.Fields.Phone ?? "", campaign.DefaultLanguage)], cancellationToken);
            rendering = auto.Content;
        }
        var picks = CampaignRecommendations.AreUsedBy(rendering, [])
            ? await ReadPicksAsync(recommender, dataSource, cancellationToken)
            : null;
        var recipient = new RecipientRendering(rendering, languages, picks);
        var choice = rendering.Choose(request.OverrideTemplate is null ? variant : null, recipient.LanguageOf(row));
        var fields = recipient.FieldsOf(row);
        var rendered = rendering.Parse(choice).Render(fields);
        if (linkPrefix is not null)
        {
            // As sent, each URL a short link; nothing is stored, so the code shown is a placeholder of a code's length.
            rendered = TrackedLinks.Shorten(rendered, linkPrefix, _ => TrackedLinks.PreviewCode);
        }
        string? personalization = null;
        if (CampaignPersonalization.FromJson(campaign.PersonalizationJson) is { } settings)
        {
            // What the model writes for this customer now (another call may write otherwise), or the plain rendering.
            var written = await personalizer.WriteAsync(rendered, fields, campaign.Channel, settings, messageId: null, cancellationToken);
            (rendered, personalization) = (written.Text, written.Personalization);
        }
        SmsInfo? sms = null;
        if (campaign.Channel == Channel.Sms)
        {
            var count = SmsSegments.Count(rendered);
            sms = new SmsInfo(count.Encoding, count.Characters, count.Segments);
        }
        return TypedResults.Ok(new PreviewResponse(rendered, choice.Template,
            new PreviewCustomer(customer.Id, customer.FirstName), sms, choice.Language, variant, personalization));
    }

    private static async Task<ProductPicks> ReadPicksAsync(IProductRecommender recommender, NpgsqlDataSource dataSource,
        CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await recommender.RecommendAsync(connection, cancellationToken);
    }
}
