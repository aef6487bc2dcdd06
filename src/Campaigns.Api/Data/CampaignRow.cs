using Campaigns.Api.Contracts;
using Campaigns.Api.Timing;
using Campaigns.Core.Content;
using Campaigns.Core.Domain;
using Campaigns.Core.Personalization;

namespace Campaigns.Api.Data;

/// <summary>A campaigns row with its counters, as Dapper reads it.</summary>
public sealed class CampaignRow
{
    public const string Columns = """
        id, name, channel, status, base_template, whatsapp_template AS whatsapp_template_json, scheduled_at, audience_attached_at, created_at, updated_at,
        total_count, pending_count, sending_count, sent_count, delivered_count, undelivered_count, failed_count, cancelled_count,
        expired_count, read_count, clicked_count,
        send_window::text AS send_window_json, campaign_validity(validity, channel) AS validity, valid_until,
        waiting_count, track_links,
        translations::text AS translations_json, default_language,
        personalization::text AS personalization_json,
        variant_settings::text AS variant_settings_json,
        auto_translate, auto_translations::text AS auto_translations_json
        """;

    public long Id { get; init; }
    public string Name { get; init; } = "";
    public string Channel { get; init; } = "";
    public string Status { get; init; } = "";
    public string BaseTemplate { get; init; } = "";
    /// <summary><c>whatsapp_template</c>, the jsonb as text (<see cref="WhatsAppTemplate"/>).</summary>
    public string? WhatsAppTemplateJson { get; init; }
    public DateTime? ScheduledAt { get; init; }
    public DateTime? AudienceAttachedAt { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }
    public int TotalCount { get; init; }
    public int PendingCount { get; init; }
    public int SendingCount { get; init; }
    public int SentCount { get; init; }
    public int DeliveredCount { get; init; }
    public int UndeliveredCount { get; init; }
    public int FailedCount { get; init; }
    public int CancelledCount { get; init; }
    public int ExpiredCount { get; init; }
    public int ReadCount { get; init; }
    public int ClickedCount { get; init; }
    /// <summary><c>send_window</c>, the jsonb as text (<see cref="SendWindow"/>).</summary>
    public string? SendWindowJson { get; init; }
    /// <summary>The validity in effect (the channel's default when the campaign names none).</summary>
    public TimeSpan? Validity { get; init; }
    public DateTime? ValidUntil { get; init; }
    public int WaitingCount { get; init; }
    public bool TrackLinks { get; init; }
    /// <summary><c>personalization</c>, the jsonb as text (<see cref="CampaignPersonalization"/>).</summary>
    public string? PersonalizationJson { get; init; }
    /// <summary><c>translations</c>, the jsonb as text (<see cref="CampaignTranslations"/>).</summary>
    public string? TranslationsJson { get; init; }
    public string DefaultLanguage { get; init; } = CampaignContent.DefaultLanguage;
    public bool AutoTranslate { get; init; }
    /// <summary><c>auto_translations</c>, the jsonb as text (<see cref="CampaignAutoTranslations"/>).</summary>
    public string? AutoTranslationsJson { get; init; }

    /// <summary>The campaign's own templates (none of the model's translations) and the rule choosing among them.</summary>
    public CampaignContent OwnContent() => new(BaseTemplate, DefaultLanguage, CampaignTranslations.FromJson(TranslationsJson), Variants.Variants);

    /// <summary>Every template the campaign can send (the model's stored translations included) and the rule choosing among them.</summary>
    public CampaignContent Content() => CampaignAutoTranslations.FromJson(AutoTranslationsJson).Apply(OwnContent());

    /// <summary>Variants, A/B test and winner, the jsonb as text (<see cref="Variants"/>).</summary>
    public string? VariantSettingsJson { get; init; }

    public VariantSettings Variants => _variants ??= VariantSettings.FromJson(VariantSettingsJson);
    private VariantSettings? _variants;

    /// <summary>How many of the campaign's messages are in <paramref name="status"/> (all of them for null), from the counters.</summary>
    public int CountOf(string? status) => status switch
    {
        null => TotalCount,
        MessageStatus.Pending => PendingCount,
        MessageStatus.Sending => SendingCount,
        MessageStatus.Sent => SentCount,
        MessageStatus.Delivered => DeliveredCount,
        MessageStatus.Undelivered => UndeliveredCount,
        MessageStatus.Failed => FailedCount,
        MessageStatus.Cancelled => CancelledCount,
        MessageStatus.Expired => ExpiredCount,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Not a message status"),
    };

    /// <param name="variantStats">Per variant, its counters (read for one campaign at a time); null without variants.</param>
    public CampaignResponse ToResponse(IReadOnlyDictionary<string, VariantStats>? variantStats = null) => new(Id, Name, Channel, Status, BaseTemplate, WhatsAppTemplate.FromJson(WhatsAppTemplateJson),
        AsUtc(ScheduledAt), AsUtc(CreatedAt), AsUtc(UpdatedAt),
        new CampaignStats(TotalCount, PendingCount, SendingCount, SentCount, DeliveredCount, UndeliveredCount, FailedCount,
            CancelledCount, ExpiredCount, ReadCount, ClickedCount, WaitingCount, variantStats),
        SendWindow.FromJson(SendWindowJson), Validity is { } validity ? IsoDuration.Format(validity) : null, AsUtc(ValidUntil),
        TrackLinks, CampaignTranslations.FromJson(TranslationsJson), DefaultLanguage, CampaignPersonalization.FromJson(PersonalizationJson),
        Variants.Variants, Variants.AbTest, Variants.Winner)
    {
        AutoTranslate = AutoTranslate,
    };

    internal static DateTime AsUtc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

    internal static DateTime? AsUtc(DateTime? value) => value is { } v ? AsUtc(v) : null;
}
