using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Text.Json.Serialization;

namespace Campaigns.Api.Json;

/// <summary>snake_case JSON everywhere, strict about types, lenient about unknown members.</summary>
public static partial class JsonSetup
{
    public static IServiceCollection AddApiJson(this IServiceCollection services) =>
        services.ConfigureHttpJsonOptions(options => Configure(options.SerializerOptions));

    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DictionaryKeyPolicy = null;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip;
        options.MaxDepth = 32;
        options.Encoder = ReadableJsonEncoder.Instance;
        options.Converters.Add(new UtcDateTimeOffsetConverter());
    }

    /// <summary>
    /// Timestamps are written as RFC 3339 in UTC with a Z (<c>2026-11-29T10:00:00Z</c>) and read only as
    /// RFC 3339: a time without its offset, or a date alone, names no instant, so it is refused.
    /// </summary>
    private sealed partial class UtcDateTimeOffsetConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            // RFC 3339 allows a lower-case t and z, and any number of fraction digits.
            var text = reader.TokenType == JsonTokenType.String ? reader.GetString()!.ToUpperInvariant() : null;
            var match = text is null ? null : Rfc3339.Match(text);
            if (match is not { Success: true }
                || !DateTimeOffset.TryParse(WithSevenFractionDigitsAtMost(text!, match.Groups["fraction"]),
                    CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
            {
                throw new JsonException("A timestamp must be RFC 3339 with its offset, e.g. 2026-11-29T10:00:00Z");
            }
            return value;
        }

        // .NET resolves 100 ns (seven digits) and refuses more; Postgres keeps microseconds anyway.
        private static string WithSevenFractionDigitsAtMost(string text, Group fraction) =>
            fraction.Length > 8 ? text.Remove(fraction.Index + 8, fraction.Length - 8) : text;

        [GeneratedRegex(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?<fraction>\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$", RegexOptions.CultureInvariant)]
        private static partial Regex Rfc3339 { get; }

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFF'Z'", System.Globalization.CultureInfo.InvariantCulture));
    }
}
