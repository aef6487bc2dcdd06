using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Campaigns.Api.Json;
using Campaigns.Api.OpenApi;
using Campaigns.Api.Timing;
using Campaigns.Api.Validation;
using Campaigns.Core.Content;
using Campaigns.Core.Domain;
using Campaigns.Core.Personalization;
using Campaigns.Core.Templates;

namespace Campaigns.Api.Contracts;

public sealed record CreateCampaignRequest(
    [property: Required, Length(1, CampaignRules.MaxNameLength)] string? Name,
    [property: Required, ValuesOf(typeof(Channel))] string? Channel,
    [property: Required, Length(1, CampaignRules.MaxWhatsAppTemplateLength)] string? BaseTemplate,
    DateTimeOffset? ScheduledAt = null,
    [property: JsonPropertyName("whatsapp_template")] WhatsAppTemplateRequest? WhatsAppTemplate = null,
    [property: Description("Local hours (each recipient's time zone) messages may go out in; absent: any time")] SendWindow? SendWindow = null,
    [property: Description("ISO 8601 duration from dispatch after which unsent messages expire (PT6H); default none for sms, P1D for whatsapp")]
    string? Validity = null,
    [property: Description("Replace every http(s) URL of each message with a short link <Links:BaseUrl>/l/<code> that counts clicks")]
    bool TrackLinks = false,
    [property: Description(CampaignRules.TranslationsDescription)] IReadOnlyDictionary<string, string>? Translations = null,
    [property: Description(CampaignRules.DefaultLanguageDescription)] string? DefaultLanguage = null,
    [property: Description("Each message written by the configured language model (ConnectionStrings:ai) after the 202")]
    PersonalizationRequest? Personalization = null,
    [property: Description("2-5 variants: each recipient gets one by a stable hash of campaign and customer, in proportion to the weights")]
    IReadOnlyList<VariantRequest>? Variants = null,
    [property: Description("Send a sample first and the winning variant to the rest (needs variants)")] AbTestRequest? AbTest = null)
{
    [Description(CampaignRules.AutoTranslateDescription)]
    public bool AutoTranslate { get; init; }
}

/// <summary>Only the members present change; <c>scheduled_at: null</c> clears the schedule.</summary>
public sealed record UpdateCampaignRequest
{
    [Length(1, CampaignRules.MaxNameLength)]
    public Optional<string> Name { get; init; }

    [ValuesOf(typeof(Channel))]
    public Optional<string> Channel { get; init; }

    [Length(1, CampaignRules.MaxWhatsAppTemplateLength)]
    public Optional<string> BaseTemplate { get; init; }

    public Optional<DateTimeOffset?> ScheduledAt { get; init; }

    /// <summary>Null removes the campaign's template.</summary>
    [JsonPropertyName("whatsapp_template")]
    public Optional<WhatsAppTemplateRequest?> WhatsAppTemplate { get; init; }

    /// <summary>Null removes the window.</summary>
    public Optional<SendWindow?> SendWindow { get; init; }

    /// <summary>Null goes back to the channel's default.</summary>
    public Optional<string?> Validity { get; init; }

    public Optional<bool> TrackLinks { get; init; }

    /// <summary>Null removes it.</summary>
    public Optional<PersonalizationRequest?> Personalization { get; init; }
    /// <summary>Replaces every translation; null removes them all.</summary>
    [Description(CampaignRules.TranslationsDescription)]
    public Optional<IReadOnlyDictionary<string, string>?> Translations { get; init; }

    [Description(CampaignRules.DefaultLanguageDescription)]
    public Optional<string> DefaultLanguage { get; init; }

    /// <summary>Null removes the variants (and needs the A/B test removed too).</summary>
    public Optional<IReadOnlyList<VariantRequest>?> Variants { get; init; }

    /// <summary>Null removes the A/B test.</summary>
    public Optional<AbTestRequest?> AbTest { get; init; }

    [Description(CampaignRules.AutoTranslateDescription)]
    public Optional<bool> AutoTranslate { get; init; }
}

/// <summary>One variant of a campaign: its template (validated like <c>base_template</c>), weight and translations.</summary>
public sealed record VariantRequest(
    [property: Required, Length(1, VariantRules.MaxKeyLength), Description("1-20 of [A-Za-z0-9_-], unique in the campaign")] string? Key,
    [property: Required, Length(1, CampaignRules.MaxWhatsAppTemplateLength)] string? Template,
    [property: Required, Range(1, VariantRules.MaxWeight), Description("The variant's share of the audience is its weight over the sum")] int? Weight,
    [property: Description("Language (2-3 lowercase letters) to template")] IReadOnlyDictionary<string, string>? Translations = null);

/// <summary>An A/B test: the sample first, then the winner on the metric to everyone else.</summary>
public sealed record AbTestRequest(
    [property: Required, Range(VariantRules.MinSamplePercent, VariantRules.MaxSamplePercent)] int? SamplePercent,
    [property: Required, ValuesOf(typeof(AbTestMetric))] string? Metric,
    [property: Required, Description("ISO 8601 duration from the dispatch until the decision (PT2H), at least PT1S")] string? DecideAfter);

/// <summary>
/// AI personalization: each message's text written by the configured language model from its rendering, the customer's
/// fields and <c>instructions</c>, within <c>max_length</c> (sms: characters in the message's encoding, default one
/// segment; whatsapp: code points, default 1,000); on any failure the plain rendering goes.
/// </summary>
public sealed record PersonalizationRequest(
    [property: Required, ValuesOf(typeof(PersonalizationModes))] string? Mode,
    [property: Required, Length(1, PersonalizationRules.MaxInstructionsLength)] string? Instructions,
    [property: Positive] int? MaxLength = null);

/// <summary>
/// A WhatsApp campaign's pre-approved template (<c>whatsapp-cloud</c> sends nothing else): each parameter is a
/// template rendered per recipient, like <c>base_template</c>, which stays the text shown in preview and in
/// <c>rendered_content</c>. Only for channel <c>whatsapp</c>.
/// </summary>
public sealed record WhatsAppTemplateRequest(
    [property: Required, Length(1, CampaignRules.MaxWhatsAppTemplateNameLength)] string? Name,
    [property: Required, Length(1, CampaignRules.MaxWhatsAppTemplateLanguageLength)] string? Language,
    [property: Required, MaxLength(CampaignRules.MaxWhatsAppTemplateParameters)] IReadOnlyList<string>? Parameters);

/// <summary>
/// The eight status counters count messages by current status and sum to <c>total</c>; <c>read</c> and
/// <c>clicked</c> count messages read or clicked at least once.
/// </summary>
public sealed record CampaignStats(int Total, int Pending, int Sending, int Sent, int Delivered, int Undelivered, int Failed,
    int Cancelled, int Expired, int Read, int Clicked,
    [property: Description("Of the pending, how many wait for their recipient's send window to open")] int Waiting,
    [property: Description("Per variant key, the same counters over the messages of that variant (campaigns with variants, GET /campaigns/{id} only; an A/B test's undecided rest is in none); absent otherwise"),
        JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    IReadOnlyDictionary<string, VariantStats>? Variants = null);

/// <summary>The counters of <see cref="CampaignStats"/> over one variant's messages.</summary>
public sealed record VariantStats(int Total, int Pending, int Sending, int Sent, int Delivered, int Undelivered, int Failed,
    int Cancelled, int Expired, int Read, int Clicked);

public record CampaignResponse(
    [property: Positive] long Id,
    string Name,
    [property: ValuesOf(typeof(Channel))] string Channel,
    [property: ValuesOf(typeof(CampaignStatus))] string Status,
    string BaseTemplate,
    [property: JsonPropertyName("whatsapp_template")] WhatsAppTemplate? WhatsAppTemplate,
    DateTime? ScheduledAt,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    CampaignStats Stats,
    SendWindow? SendWindow,
    [property: Description("The validity in effect (the channel's default when none was given), ISO 8601")] string? Validity,
    [property: Description("The deadline, fixed at dispatch: messages not handed to a provider by then expire")] DateTime? ValidUntil,
    [property: Description("Whether each message's URLs become short links that count clicks")] bool TrackLinks,
    [property: Description("Language → template: what recipients of that language get instead of base_template")]
    IReadOnlyDictionary<string, string> Translations,
    [property: Description("The language of base_template")] string DefaultLanguage,
    [property: Description("AI personalization; null: none")] CampaignPersonalization? Personalization,
    IReadOnlyList<VariantContent>? Variants,
    AbTest? AbTest,
    [property: Description("The A/B test's winning variant, once decided")] string? Winner)
{
    [Description(CampaignRules.AutoTranslateDescription)]
    public bool AutoTranslate { get; init; }
}

/// <summary>
/// The answer of create and update: the campaign, and a warning for each translation (a variant's too) that does not look
/// like the language it claims (possibly none). Warnings refuse nothing.
/// </summary>
public sealed record SavedCampaignResponse : CampaignResponse
{
    public SavedCampaignResponse(CampaignResponse campaign, IReadOnlyList<string> warnings) : base(campaign)
    {
        Warnings = warnings;
    }

    [Description("Such as \"translations.fr does not look like French (detected: English)\" or, for a variant's, \"variants[1].translations.fr …\"")]
    [JsonPropertyOrder(1)] // after the campaign's members
    public IReadOnlyList<string> Warnings { get; }
}

public sealed record PreviewRequest(
    [property: Required, Positive] long? CustomerId,
    [property: Length(1, CampaignRules.MaxWhatsAppTemplateLength)] string? OverrideTemplate = null,
    [property: Description("The variant to render (campaigns with variants); absent: the customer's own")] string? Variant = null);

public sealed record PreviewCustomer([property: Positive] long Id, string FirstName);

public sealed record SmsInfo([property: ValuesOf(typeof(SmsEncoding))] string Encoding, int Characters, int Segments);

/// <summary><c>sms</c> is null for a WhatsApp campaign; <c>variant</c> is there only for a campaign with variants,
/// <c>personalization</c> only for a personalized campaign.</summary>
public sealed record PreviewResponse(string RenderedMessage, string UsedTemplate, PreviewCustomer Customer, SmsInfo? Sms,
    [property: Description("The language of the template used: the customer's translation, else the campaign's default_language")]
    string Language,
    [property: Description("The variant rendered (campaigns with variants; absent otherwise)"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    string? Variant = null,
    [property: ValuesOf(typeof(MessagePersonalization)), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull),
               Description("Only for a personalized campaign: whether rendered_message is the model's text (ai) or the plain rendering (fallback)")]
    string? Personalization = null);

public sealed record MessageResponse(
    [property: Positive] long Id,
    [property: Positive] long CampaignId,
    [property: Positive] long CustomerId,
    [property: ValuesOf(typeof(MessageStatus))] string Status,
    [property: Description("Null only for an A/B test's rest until the winner is decided")] string? RenderedContent,
    string? LastError,
    int RetryCount,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    [property: Description("The provider that accepted the message (mock, twilio, africastalking, whatsapp-cloud)")] string? Provider,
    [property: Description("The accepting provider's id of the message: receipts are matched by it")] string? ProviderMessageId,
    DateTime? SentAt,
    DateTime? DeliveredAt,
    [property: Description("When a WhatsApp read receipt came (read is not a status)")] DateTime? ReadAt,
    [property: Description("The provider's own code of the last failure, as it gave it")] string? ErrorCode,
    [property: Description("The key of the message's variant")] string? Variant,
    [property: Description("The language of the template used")] string? Language,
    [property: ValuesOf(typeof(MessagePersonalization))] string? Personalization,
    [property: Description("A pending message waiting for its recipient's send window: when it opens")] DateTime? NotBefore);

/// <summary>One entry of a message's timeline, oldest first; the first is always <c>queued</c>, the message's creation.</summary>
public sealed record MessageEventResponse(
    DateTime At,
    [property: ValuesOf(typeof(MessageEventType))] string Type,
    string? Provider,
    string? Detail);
