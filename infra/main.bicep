// VeloZ in Azure, deployed into one resource group:
//   az deployment group create -g <group> -f infra/main.bicep -p infra/main.bicepparam
// See docs/deployment.md for the whole sequence (secrets, the API package, the worker image).
//
// What it creates: a storage account (VeloZ's tables, the API-to-worker queue, the worker lease
// container, the Flex deployment container; shared keys off), a Flex Consumption Function App for the
// API, Azure SignalR Service (Serverless), Key Vault with the Binance key/secret and the SignalR
// connection string, Log Analytics + Application Insights, a container registry and a Container Apps
// environment with the worker (exactly one replica), and one managed identity per process with only
// the roles it needs.

targetScope = 'resourceGroup'

@description('Short base name of every resource (lower-case letters and digits, 3-11 characters).')
@minLength(3)
@maxLength(11)
param name string = 'veloz'

@description('Azure region of every resource (Flex Consumption must be available there).')
param location string = resourceGroup().location

@description('VELOZ_MARKET_SYMBOLS: the symbols the gateway follows, comma separated (at most 20); the first is the default of /api/market.')
param marketSymbols string = 'BTCUSDT'

@description('VELOZ_MARKET_SOURCE (the worker\'s market feed).')
@allowed([
  'sim'
  'binance_rest'
  'binance_ws'
])
param marketSource string = 'binance_ws'

// sim_engine is not offered: the simulated venue lives inside the worker on its loopback interface,
// which the Function App (another host) cannot reach. Start on the Binance Spot testnet.
@description('VELOZ_EXECUTION_MODE: binance_testnet_spot, or binance_spot for live trading.')
@allowed([
  'binance_testnet_spot'
  'binance_spot'
])
param executionMode string = 'binance_testnet_spot'

// Every Binance URL names one market: the testnet by default. VeloZ refuses to start when they disagree
// with each other or with executionMode; for binance_spot set all four to the live URLs given below.
@description('VELOZ_BINANCE_BASE_URL: REST base for market data and the binance_ws fallback, same market as the stream (live: https://api.binance.com).')
param binanceBaseUrl string = 'https://testnet.binance.vision'

@description('VELOZ_BINANCE_TRADE_BASE_URL: REST base for trading (live: https://api.binance.com).')
param binanceTradeBaseUrl string = 'https://testnet.binance.vision'

@description('VELOZ_BINANCE_WS_BASE_URL: market streams (live: wss://stream.binance.com:9443).')
param binanceWsBaseUrl string = 'wss://stream.testnet.binance.vision'

@description('VELOZ_BINANCE_WS_API_URL: WebSocket API carrying the user data stream (live: wss://ws-api.binance.com:443/ws-api/v3).')
param binanceWsApiUrl string = 'wss://ws-api.testnet.binance.vision/ws-api/v3'

@description('VELOZ_CORS_ORIGINS for the API, also the browser origins SignalR Service accepts: \'*\' or comma-separated origins.')
param corsOrigins string = '*'

@description('VELOZ_STORAGE_PREFIX: prefix of every table, queue and container name VeloZ uses.')
@minLength(1)
@maxLength(24)
param storagePrefix string = 'veloz'

@description('SignalR Service tier (Free_F1: 20 connections and only one per subscription).')
@allowed([
  'Free_F1'
  'Standard_S1'
  'Premium_P1'
])
param signalRSku string = 'Standard_S1'

@description('SignalR Service units (1,000 connections each).')
@minValue(1)
param signalRCapacity int = 1

@description('Function App: most instances the API may scale out to (40-1000).')
@minValue(40)
@maxValue(1000)
param functionMaximumInstanceCount int = 40

@description('Function App: memory per instance in MB.')
@allowed([
  512
  2048
  4096
])
param functionInstanceMemoryMB int = 2048

@description('Function App: instances kept warm, so an order never waits for a cold start (0 = pay per use only).')
@minValue(0)
param functionAlwaysReadyInstances int = 1

@description('Worker image in this deployment\'s registry, e.g. veloz-worker:1 (empty = no worker yet: deploy again once the image is pushed).')
param workerImage string = ''

@description('Object id of the person or pipeline that sets the Binance secrets (Key Vault Secrets Officer); defaults to whoever deploys. Empty = nobody.')
param operatorObjectId string = deployer().objectId

@description('Tags for every resource.')
param tags object = {
  application: 'veloz'
}

var token = take(uniqueString(resourceGroup().id, name), 8)
var base = toLower(name)

var secretNames = {
  binanceApiKey: 'binance-api-key'
  binanceApiSecret: 'binance-api-secret'
  adminApiKey: 'admin-api-key'
  signalRConnectionString: 'signalr-connection-string'
}

// Role definitions (built-in, fixed GUIDs).
var storageBlobDataOwner = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
var storageBlobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
var storageQueueDataContributor = '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
var storageTableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'

// The VeloZ settings both processes read (docs/configuration.md), as plain values.
var velozSettings = {
  VELOZ_MARKET_SOURCE: marketSource
  VELOZ_MARKET_SYMBOLS: marketSymbols
  VELOZ_BINANCE_BASE_URL: binanceBaseUrl
  VELOZ_EXECUTION_MODE: executionMode
  VELOZ_BINANCE_TRADE_BASE_URL: binanceTradeBaseUrl
  VELOZ_BINANCE_WS_BASE_URL: binanceWsBaseUrl
  VELOZ_BINANCE_WS_API_URL: binanceWsApiUrl
  VELOZ_CORS_ORIGINS: corsOrigins
  VELOZ_STORAGE_PREFIX: storagePrefix
}

// The settings both processes read from Key Vault: environment variable → secret name.
var velozSecretSettings = {
  VELOZ_BINANCE_API_KEY: secretNames.binanceApiKey
  VELOZ_BINANCE_API_SECRET: secretNames.binanceApiSecret
  AzureSignalRConnectionString: secretNames.signalRConnectionString
}

// The API is on the public internet: VeloZ's own authentication is on, with the bootstrap admin key
// from Key Vault.
var apiOnlySettings = {
  VELOZ_AUTH_ENABLED: 'true'
}
var apiOnlySecretSettings = {
  VELOZ_ADMIN_API_KEY: secretNames.adminApiKey
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    location: location
    workspaceName: 'log-${base}-${token}'
    applicationInsightsName: 'appi-${base}-${token}'
    tags: tags
  }
}

module identities 'modules/identities.bicep' = {
  name: 'identities'
  params: {
    location: location
    apiIdentityName: 'id-${base}-api'
    workerIdentityName: 'id-${base}-worker'
    tags: tags
  }
}

var apiIdentityId = resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', 'id-${base}-api')
var workerIdentityId = resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', 'id-${base}-worker')

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    location: location
    accountName: 'st${base}${token}'
    storagePrefix: storagePrefix
    tableNames: [
      'market'
      'status'
      'orders0'
      'orders1'
      'orders2'
      'orders3'
      'account'
      'events'
      'recent'
    ]
    workerQueueName: '${storagePrefix}notes'
    leaseContainerName: '${storagePrefix}leases'
    deploymentContainerName: 'function-package'
    roleAssignments: [
      // The Functions host keeps its own state in blobs and queues, reads the package, and VeloZ's
      // API writes orders and notes.
      { id: apiIdentityId, principalId: identities.outputs.apiPrincipalId, roleDefinitionGuid: storageBlobDataOwner }
      { id: apiIdentityId, principalId: identities.outputs.apiPrincipalId, roleDefinitionGuid: storageQueueDataContributor }
      { id: apiIdentityId, principalId: identities.outputs.apiPrincipalId, roleDefinitionGuid: storageTableDataContributor }
      // The worker: tables, the notes queue, and the lease blob.
      { id: workerIdentityId, principalId: identities.outputs.workerPrincipalId, roleDefinitionGuid: storageBlobDataContributor }
      { id: workerIdentityId, principalId: identities.outputs.workerPrincipalId, roleDefinitionGuid: storageQueueDataContributor }
      { id: workerIdentityId, principalId: identities.outputs.workerPrincipalId, roleDefinitionGuid: storageTableDataContributor }
    ]
    tags: tags
  }
}

module signalR 'modules/signalr.bicep' = {
  name: 'signalr'
  params: {
    location: location
    name: 'sigr-${base}-${token}'
    sku: signalRSku
    capacity: signalRCapacity
    corsOrigins: map(split(corsOrigins, ','), origin => trim(origin))
    tags: tags
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    location: location
    name: 'kv-${base}-${token}'
    signalRName: signalR.outputs.name
    secretNames: secretNames
    readers: [
      { id: apiIdentityId, principalId: identities.outputs.apiPrincipalId }
      { id: workerIdentityId, principalId: identities.outputs.workerPrincipalId }
    ]
    operatorObjectId: operatorObjectId
    tags: tags
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  params: {
    location: location
    planName: 'plan-${base}-${token}'
    appName: 'func-${base}-${token}'
    identityId: apiIdentityId
    identityClientId: identities.outputs.apiClientId
    storageAccountName: storage.outputs.accountName
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    velozSettings: union(velozSettings, apiOnlySettings, toObject(
      items(union(velozSecretSettings, apiOnlySecretSettings)),
      entry => entry.key,
      entry => '@Microsoft.KeyVault(VaultName=${keyVault.outputs.name};SecretName=${entry.value})'
    ))
    maximumInstanceCount: functionMaximumInstanceCount
    instanceMemoryMB: functionInstanceMemoryMB
    alwaysReadyInstances: functionAlwaysReadyInstances
    tags: tags
  }
}

module registry 'modules/registry.bicep' = {
  name: 'registry'
  params: {
    location: location
    name: 'cr${base}${token}'
    pullIdentityId: workerIdentityId
    pullPrincipalId: identities.outputs.workerPrincipalId
    tags: tags
  }
}

module worker 'modules/worker.bicep' = {
  name: 'worker'
  params: {
    location: location
    environmentName: 'cae-${base}-${token}'
    appName: '${base}-worker'
    workspaceName: monitoring.outputs.workspaceName
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    identityId: workerIdentityId
    identityClientId: identities.outputs.workerClientId
    deployApp: !empty(workerImage)
    image: '${registry.outputs.loginServer}/${workerImage}'
    registryServer: registry.outputs.loginServer
    storageAccountName: storage.outputs.accountName
    settings: velozSettings
    keyVaultSettings: toObject(
      items(velozSecretSettings),
      entry => entry.key,
      entry => '${keyVault.outputs.vaultUri}secrets/${entry.value}'
    )
    tags: tags
  }
}

output resourceGroupName string = resourceGroup().name
output functionAppName string = functionApp.outputs.name
output apiUrl string = 'https://${functionApp.outputs.defaultHostName}'
output storageAccountName string = storage.outputs.accountName
output keyVaultName string = keyVault.outputs.name
output signalRName string = signalR.outputs.name
output containerRegistryName string = registry.outputs.name
output containerRegistryLoginServer string = registry.outputs.loginServer
output workerAppName string = worker.outputs.appName
output binanceApiKeySecretName string = secretNames.binanceApiKey
output binanceApiSecretSecretName string = secretNames.binanceApiSecret
output adminApiKeySecretName string = secretNames.adminApiKey
