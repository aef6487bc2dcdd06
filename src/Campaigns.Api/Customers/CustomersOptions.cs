using System.ComponentModel.DataAnnotations;

namespace Campaigns.Api.Customers;

/// <summary>Settings of the <c>Customers</c> configuration section.</summary>
public sealed class CustomersOptions
{
    public const string SectionName = "Customers";

    /// <summary>
    /// The ISO 3166 region a phone number written without <c>+</c> is read in (<c>KE</c>: <c>0712 345 678</c>
    /// is <c>+254712345678</c>). Checked at start against the regions libphonenumber knows.
    /// </summary>
    [Required]
    [RegularExpression("^[A-Z]{2}$", ErrorMessage = "Customers:DefaultRegion must be a two-letter upper-case region code such as KE")]
    public string DefaultRegion { get; set; } = "KE";
}
