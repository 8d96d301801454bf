import { randomUUID } from "node:crypto";
import type { AmazonListing } from "../sandbox.state";
import { issuesIn, summaryStatus } from "./amazon.render";

const APPLICATION_ID = "amzn1.sellerapps.app.sandbox-0000-0000-0000-000000000000";
const SUBSCRIPTION_ID = "sandbox-subscription";

function metadata(now: number): Record<string, string> {
  return {
    ApplicationId: APPLICATION_ID,
    SubscriptionId: SUBSCRIPTION_ID,
    PublishTime: new Date(now).toISOString(),
    NotificationId: randomUUID(),
  };
}

/** LISTINGS_ITEM_MFN_QUANTITY_CHANGE, sent when a seller-fulfilled quantity changes. */
export function mfnQuantityChange(
  sellerId: string,
  listing: AmazonListing,
  now: number,
): Record<string, unknown> {
  return {
    NotificationVersion: "1.0",
    NotificationType: "LISTINGS_ITEM_MFN_QUANTITY_CHANGE",
    PayloadVersion: "1.0",
    EventTime: new Date(now).toISOString(),
    Payload: {
      SellerId: sellerId,
      FulfillmentChannelCode: "DEFAULT",
      Sku: listing.sku,
      Quantity: listing.quantity,
    },
    NotificationMetadata: metadata(now),
  };
}

/** LISTINGS_ITEM_STATUS_CHANGE, sent when buyability or discoverability changes (type as its schema spells it). */
export function statusChange(
  sellerId: string,
  marketplaceId: string,
  listing: AmazonListing,
  now: number,
): Record<string, unknown> {
  return {
    NotificationVersion: "1.0",
    NotificationType: "LISTINGS_ITEM_STATUS_CHANGED",
    PayloadVersion: "1.0",
    EventTime: new Date(now).toISOString(),
    Payload: {
      SellerId: sellerId,
      MarketplaceId: marketplaceId,
      ...(listing.asin ? { Asin: listing.asin } : {}),
      Sku: listing.sku,
      CreatedDate: new Date(listing.createdAt).toISOString(),
      Status: listing.deleted ? ["DELETED"] : summaryStatus(listing),
    },
    NotificationMetadata: metadata(now),
  };
}

/** FBA_INVENTORY_AVAILABILITY_CHANGES, sent when Amazon-fulfilled quantities change. */
export function fbaAvailabilityChange(
  sellerId: string,
  marketplaceId: string,
  listing: AmazonListing,
  now: number,
): Record<string, unknown> {
  return {
    NotificationVersion: "1.0",
    NotificationType: "FBA_INVENTORY_AVAILABILITY_CHANGES",
    PayloadVersion: "1.0",
    EventTime: new Date(now).toISOString(),
    Payload: {
      SellerId: sellerId,
      FNSKU: listing.fnSku,
      ASIN: listing.asin,
      SKU: listing.sku,
      FulfillmentInventoryByMarketplace: [
        {
          MarketplaceId: marketplaceId,
          ItemName: listing.title,
          FulfillmentInventory: {
            InboundQuantityBreakdown: {
              Working: listing.fba.inboundWorking,
              Shipped: listing.fba.inboundShipped,
              Receiving: listing.fba.inboundReceiving,
            },
            Fulfillable: listing.quantity,
            Unfulfillable: listing.fba.unfulfillable,
            Researching: listing.fba.researching,
            ReservedQuantityBreakdown: {
              WarehouseProcessing: listing.fba.reservedFcProcessing,
              WarehouseTransfer: listing.fba.reservedFcTransfers,
              PendingCustomerOrder: listing.fba.reservedCustomerOrders,
            },
            FutureSupplyBuyable: 0,
            PendingCustomerOrderInTransit: 0,
          },
          Stores: [],
        },
      ],
    },
    NotificationMetadata: metadata(now),
  };
}

/** LISTINGS_ITEM_ISSUES_CHANGE (payload version 2023-12-13), sent when a listing gains or loses an issue. */
export function issuesChange(
  sellerId: string,
  marketplaceId: string,
  listing: AmazonListing,
  now: number,
): Record<string, unknown> {
  const issues = issuesIn(listing, [marketplaceId]);
  const severities = [...new Set(issues.map((i) => i.severity))];
  return {
    NotificationVersion: "1.0",
    NotificationType: "LISTINGS_ITEM_ISSUES_CHANGE",
    PayloadVersion: "2023-12-13",
    EventTime: new Date(now).toISOString(),
    Payload: {
      SellerId: sellerId,
      MarketplaceId: marketplaceId,
      ...(listing.asin ? { Asin: listing.asin } : {}),
      Sku: listing.sku,
      Severities: severities.length ? severities : ["NONE"],
      EnforcementActions: issues.some((i) => i.suppresses) ? ["LISTING_SUPPRESSED"] : [],
    },
    NotificationMetadata: metadata(now),
  };
}

/** FEED_PROCESSING_FINISHED, sent when a feed reaches DONE, FATAL or CANCELLED. */
export function feedProcessingFinished(
  sellerId: string,
  feed: { feedId: string; feedType: string; processingStatus: string; resultFeedDocumentId?: string },
  now: number,
): Record<string, unknown> {
  const meta = metadata(now);
  return {
    notificationVersion: "2020-09-04",
    notificationType: "FEED_PROCESSING_FINISHED",
    payloadVersion: "2020-09-04",
    eventTime: new Date(now).toISOString(),
    payload: {
      feedProcessingFinishedNotification: {
        sellerId,
        accountId: `amzn1.merchant.o.${sellerId}`,
        feedId: feed.feedId,
        feedType: feed.feedType,
        processingStatus: feed.processingStatus,
        ...(feed.resultFeedDocumentId ? { resultFeedDocumentId: feed.resultFeedDocumentId } : {}),
      },
    },
    notificationMetadata: {
      applicationId: meta.ApplicationId,
      subscriptionId: meta.SubscriptionId,
      publishTime: meta.PublishTime,
      notificationId: meta.NotificationId,
    },
  };
}
