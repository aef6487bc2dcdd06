using Campaigns.Api.Customers.Import;

namespace Campaigns.Api.Customers;

public static class CustomerServices
{
    /// <summary>Phone normalization (with its validated options), the time zones, and the bulk importer.</summary>
    public static IServiceCollection AddCustomers(this IServiceCollection services)
    {
        services.AddOptions<CustomersOptions>()
            .BindConfiguration(CustomersOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(options => PhoneNormalizer.IsSupportedRegion(options.DefaultRegion),
                "Customers:DefaultRegion is not a region libphonenumber knows")
            .ValidateOnStart();
        services.AddSingleton<PhoneNormalizer>();
        services.AddSingleton<TimeZoneCatalog>();
        services.AddSingleton<CustomerImporter>();
        return services;
    }
}
