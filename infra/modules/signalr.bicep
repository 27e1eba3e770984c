// Azure SignalR Service in Serverless mode: clients connect to the service (after POST /api/negotiate),
// the worker publishes events through its REST API. VeloZ signs both kinds of token with the access
// key, so local auth stays enabled; the connection string goes straight into Key Vault (keyvault.bicep).

@description('Azure region.')
param location string

@description('SignalR Service name (globally unique).')
param name string

@description('Pricing tier: Free_F1 (20 connections, one per subscription), Standard_S1 or Premium_P1.')
@allowed([
  'Free_F1'
  'Standard_S1'
  'Premium_P1'
])
param sku string

@description('Units (1,000 concurrent connections each on Standard and Premium; Free is always 1).')
@minValue(1)
param capacity int

@description('Browser origins allowed to connect to the service.')
param corsOrigins string[]

@description('Tags for every resource.')
param tags object

resource signalR 'Microsoft.SignalRService/signalR@2024-03-01' = {
  name: name
  location: location
  tags: tags
  kind: 'SignalR'
  sku: {
    name: sku
    capacity: sku == 'Free_F1' ? 1 : capacity
  }
  properties: {
    features: [
      {
        flag: 'ServiceMode'
        value: 'Serverless'
      }
      {
        flag: 'EnableConnectivityLogs'
        value: 'True'
      }
      {
        flag: 'EnableMessagingLogs'
        value: 'False'
      }
    ]
    cors: {
      allowedOrigins: corsOrigins
    }
    // VeloZ signs client and REST tokens with the access key (HS256), so keys must stay usable.
    disableLocalAuth: false
    publicNetworkAccess: 'Enabled'
    tls: {
      clientCertEnabled: false
    }
  }
}

output name string = signalR.name
output hostName string = signalR.properties.hostName
