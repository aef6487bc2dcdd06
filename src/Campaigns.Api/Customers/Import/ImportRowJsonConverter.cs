using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Campaigns.Api.Customers.Import;

/// <summary>
/// Reads one element of an import array without failing the request for a row of the wrong shape: a
/// non-object element or a wrongly typed member becomes a row with a <see cref="ImportRow.ShapeError"/>,
/// which the importer rejects alone. Member names match case-insensitively (as the JSON endpoints do);
/// unknown members are skipped. The serializer hands a custom converter the whole element, buffered.
/// </summary>
public sealed class ImportRowJsonConverter : JsonConverter<ImportRow>
{
    private const int MaxNameBytes = 32;

    public override bool HandleNull => true;

    public override ImportRow Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            SkipValue(ref reader);
            return new ImportRow(null, null, null, null, null, null, null, null, "row must be a JSON object");
        }

        string? phone = null, firstName = null, lastName = null, location = null, preferredProduct = null, timezone = null, language = null, error = null;
        bool? optedOut = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = Match(ref reader);
            reader.Read();
            switch (field)
            {
                case Field.Phone:
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        phone = reader.GetString();
                    }
                    else if (reader.TokenType == JsonTokenType.Null)
                    {
                        phone = null;
                    }
                    else
                    {
                        // A number is echoed as written, so the rejection shows what the client sent.
                        phone = reader.TokenType == JsonTokenType.Number ? RawText(ref reader) : "";
                        error = Append(error, "phone must be a string");
                    }
                    break;
                case Field.FirstName:
                    firstName = ReadText(ref reader, "first_name", ref error);
                    break;
                case Field.LastName:
                    lastName = ReadText(ref reader, "last_name", ref error);
                    break;
                case Field.Location:
                    location = ReadText(ref reader, "location", ref error);
                    break;
                case Field.PreferredProduct:
                    preferredProduct = ReadText(ref reader, "preferred_product", ref error);
                    break;
                case Field.OptedOut:
                    optedOut = reader.TokenType switch
                    {
                        JsonTokenType.True => true,
                        JsonTokenType.False => false,
                        JsonTokenType.Null => null,
                        _ => Fail<bool?>(ref error, "opted_out must be true or false"),
                    };
                    break;
                case Field.Timezone:
                    // Null gives no zone (as absent does); "" is given, and refused as no zone's name.
                    timezone = reader.TokenType switch
                    {
                        JsonTokenType.String => reader.GetString(),
                        JsonTokenType.Null => null,
                        _ => Fail<string>(ref error, "timezone must be a string"),
                    };
                    break;
                case Field.Language:
                    // Null (like "") gives no language: it clears the customer's.
                    language = ReadText(ref reader, "language", ref error);
                    break;
            }
            SkipValue(ref reader);
        }
        return new ImportRow(phone, firstName, lastName, location, preferredProduct, optedOut, timezone, language, error);
    }

    public override void Write(Utf8JsonWriter writer, ImportRow value, JsonSerializerOptions options) =>
        throw new NotSupportedException("Import rows are only read");

    /// <summary>A string, or "" for null (null clears a text); another type is the row's error.</summary>
    private static string? ReadText(ref Utf8JsonReader reader, string name, ref string? error)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return reader.GetString();
            case JsonTokenType.Null:
                return "";
            default:
                error = Append(error, $"{name} must be a string");
                return null;
        }
    }

    /// <summary>Records the member's problem; the member counts as not given.</summary>
    private static T? Fail<T>(ref string? error, string problem)
    {
        error = Append(error, problem);
        return default;
    }

    private static string Append(string? error, string problem) => error is null ? problem : $"{error}; {problem}";

    // The body streams in, so the reader is never over the final block, where Skip() throws; the serializer
    // has read the whole element ahead for a converter, so TrySkip always finds its end.
    private static void SkipValue(ref Utf8JsonReader reader)
    {
        if (!reader.TrySkip())
        {
            throw new JsonException("The import row ends before its value does");
        }
    }

    private static string RawText(ref Utf8JsonReader reader) =>
        reader.HasValueSequence ? Encoding.UTF8.GetString(reader.ValueSequence) : Encoding.UTF8.GetString(reader.ValueSpan);

    private static Field Match(ref Utf8JsonReader reader)
    {
        var length = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (length > MaxNameBytes)
        {
            return Field.Unknown;
        }
        Span<byte> name = stackalloc byte[MaxNameBytes];
        name = name[..reader.CopyString(name)];
        return name switch
        {
            _ when Ascii.EqualsIgnoreCase(name, "phone"u8) => Field.Phone,
            _ when Ascii.EqualsIgnoreCase(name, "first_name"u8) => Field.FirstName,
            _ when Ascii.EqualsIgnoreCase(name, "last_name"u8) => Field.LastName,
            _ when Ascii.EqualsIgnoreCase(name, "location"u8) => Field.Location,
            _ when Ascii.EqualsIgnoreCase(name, "preferred_product"u8) => Field.PreferredProduct,
            _ when Ascii.EqualsIgnoreCase(name, "opted_out"u8) => Field.OptedOut,
            _ when Ascii.EqualsIgnoreCase(name, "timezone"u8) => Field.Timezone,
            _ when Ascii.EqualsIgnoreCase(name, "language"u8) => Field.Language,
            _ => Field.Unknown,
        };
    }

    private enum Field
    {
        Unknown,
        Phone,
        FirstName,
        LastName,
        Location,
        PreferredProduct,
        OptedOut,
        Timezone,
        Language,
    }
}
