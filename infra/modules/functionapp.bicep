// The API: a Flex Consumption Function App (FC1, dotnet-isolated 10.0) running the published
// functions/VeloZ.Functions package from a blob container. Storage, the deployment container and Key
// Vault references all use the API's user-assigned identity; no keys in app settings.
//
// Flex keeps the runtime in functionAppConfig, so FUNCTIONS_WORKER_RUNTIME, FUNCTIONS_EXTENSION_VERSION,
// WEBSITE_RUN_FROM_PACKAGE and the content-share settings must not be app settings here.

@description('Azure region.')
param location string

@description('Flex Consumption plan name.')
param planName string

@description('Function App name (globally unique; the API is https://<name>.azurewebsites.net).')
param appName string

@description('Resource id of the API\'s user-assigned identity.')
param identityId string

@description('Client id of the API\'s user-assigned identity.')
param identityClientId string

@description('Storage account of AzureWebJobsStorage and of VeloZ\'s state.')
param storageAccountName string

@description('URL of the blob container the package is deployed to.')
param deploymentContainerUrl string

@description('Application Insights component.')
param applicationInsightsName string

@description('VeloZ settings (VELOZ_*, AzureSignalRConnectionString), shared with the worker.')
param velozSettings object

@description('Upper bound of instances (40-1000).')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int

@description('Memory per instance in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int

@description('Instances kept warm for HTTP (0 = pay only per use, with cold starts).')
@minValue(0)
param alwaysReadyInstances int

@description('Tags for every resource.')
param tags object

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2025-03-01' = {
  name: appName
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // Key Vault references are resolved with the API's identity.
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      // No platform CORS: VeloZ answers CORS and OPTIONS itself (VELOZ_CORS_ORIGINS), identically in
      // every host; platform CORS would answer preflights before the app and could disagree with it.
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
        alwaysReady: alwaysReadyInstances > 0
          ? [
              {
                name: 'http'
                instanceCount: alwaysReadyInstances
              }
            ]
          : []
      }
    }
  }
}

// App settings replace the whole set on every deployment: anything set by hand is lost on the next one.
resource appSettings 'Microsoft.Web/sites/config@2025-03-01' = {
  parent: app
  name: 'appsettings'
  properties: union(velozSettings, {
    // Identity-based AzureWebJobsStorage for the Functions host and for VeloZ itself.
    AzureWebJobsStorage__accountName: storageAccountName
    AzureWebJobsStorage__credential: 'managedidentity'
    AzureWebJobsStorage__clientId: identityClientId
    APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsights.properties.ConnectionString
  })
}

output name string = app.name
output defaultHostName string = app.properties.defaultHostName
