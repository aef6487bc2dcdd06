using Campaigns.Api.Customers;
using Campaigns.Core.Customers;

namespace Campaigns.Api.Validation;

/// <summary>
/// The field rules of a customer (api.md, "Customers"). Optional text is stored exactly as sent (no
/// trimming); absent or null text is "". Lengths are Unicode code points.
/// </summary>
public static class CustomerRules
{
    public const int MaxFirstNameLength = 100;
    public const int MaxLastNameLength = 100;
    public const int MaxLocationLength = 100;
    public const int MaxPreferredProductLength = 200;

    public const string PhoneRequired = "phone is required";

    public const string TimezoneDescription =
        "IANA time zone name, spelt exactly (Africa/Nairobi); absent or null: the first zone of the phone number's region (UTC when it has none)";

    public const string TimezoneChangeDescription =
        "IANA time zone name, spelt exactly (Africa/Nairobi); null: the first zone of the phone number's region again";

    /// <summary>Null when the phone normalizes (the E.164 form in <paramref name="e164"/>), else why not.</summary>
    public static string? PhoneProblem(PhoneNormalizer phones, string? raw, out string? e164)
    {
        e164 = null;
        if (TextRules.IsBlank(raw))
        {
            return PhoneRequired;
        }
        return phones.TryNormalize(raw, out e164) ? null : phones.InvalidMessage;
    }

    public static string? FirstNameProblem(string? value) => TextRules.Problem("first_name", value, MaxFirstNameLength);

    public static string? LastNameProblem(string? value) => TextRules.Problem("last_name", value, MaxLastNameLength);

    public static string? LocationProblem(string? value) => TextRules.Problem("location", value, MaxLocationLength);

    public static string? PreferredProductProblem(string? value) =>
        TextRules.Problem("preferred_product", value, MaxPreferredProductLength);

    public const string LanguageDescription =
        "BCP 47 primary language subtag (en, sw, fr; any case, stored lowercase); absent or null: none, so each send derives it "
        + "from the phone's region (Languages:Regions), else uses the campaign's default_language";

    /// <summary>Adds the language's problem when one is given (null means "not given" here); its stored (lowercase) form.</summary>
    public static string? CheckLanguage(ValidationErrors errors, string? value) =>
        value is null ? null : CampaignRules.CheckLanguage(errors, "language", value);

    public const string TimezoneInvalid =
        $"timezone must be an IANA time zone name such as {CustomerTimeZones.Example}, spelt exactly (not a Windows name)";

    /// <summary>Null when a given zone is one a customer may be in (an IANA name .NET and Postgres know), else why not.</summary>
    public static string? TimezoneProblem(CustomerTimeZones zones, string value) => zones.IsKnown(value) ? null : TimezoneInvalid;

    /// <summary>Adds the zone's problem when one is given (null means "not given" here).</summary>
    public static void CheckTimezone(ValidationErrors errors, CustomerTimeZones zones, string? value)
    {
        if (value is not null)
        {
            Add(errors, "timezone", TimezoneProblem(zones, value));
        }
    }

    /// <summary>Adds the phone's problem, if any; the E.164 form when it is valid.</summary>
    public static string? CheckPhone(ValidationErrors errors, PhoneNormalizer phones, string? raw)
    {
        if (PhoneProblem(phones, raw, out var e164) is { } problem)
        {
            errors.Add("phone", problem);
        }
        return e164;
    }

    /// <summary>Checks each optional text that is given (null means "not given" here).</summary>
    public static void CheckTexts(ValidationErrors errors, string? firstName, string? lastName, string? location, string? preferredProduct)
    {
        Add(errors, "first_name", FirstNameProblem(firstName));
        Add(errors, "last_name", LastNameProblem(lastName));
        Add(errors, "location", LocationProblem(location));
        Add(errors, "preferred_product", PreferredProductProblem(preferredProduct));
    }

    private static void Add(ValidationErrors errors, string field, string? problem)
    {
        if (problem is not null)
        {
            errors.Add(field, problem);
        }
    }
}
