import type { Product } from './product.ts';

type Demo = [id: string, name: string, category: string, priceMinor: number, stock: number, description: string];

/** The demo catalog seeded on first start: readable ids, so examples can name them. */
const DEMO: Demo[] = [
  ['espresso-machine', 'Espresso Machine', 'kitchen', 24900, 12, '15-bar pump espresso machine with steam wand'],
  ['burr-grinder', 'Burr Coffee Grinder', 'kitchen', 8900, 30, 'Conical burr grinder, 40 grind settings'],
  ['french-press', 'French Press', 'kitchen', 2900, 50, '1 litre borosilicate glass French press'],
  ['chef-knife', "Chef's Knife", 'kitchen', 7900, 25, '20 cm stainless steel chef knife'],
  ['cast-iron-pan', 'Cast Iron Pan', 'kitchen', 4500, 40, 'Pre-seasoned 26 cm cast iron skillet'],
  ['kettle', 'Gooseneck Kettle', 'kitchen', 5900, 20, 'Temperature-controlled pour-over kettle'],
  ['headphones', 'Wireless Headphones', 'electronics', 19900, 15, 'Noise-cancelling over-ear headphones'],
  ['keyboard', 'Mechanical Keyboard', 'electronics', 12900, 18, 'Tenkeyless keyboard with brown switches'],
  ['mouse', 'Ergonomic Mouse', 'electronics', 4900, 35, 'Vertical wireless mouse'],
  ['usb-c-hub', 'USB-C Hub', 'electronics', 3900, 60, '7-in-1 hub with HDMI and card reader'],
  ['webcam', '4K Webcam', 'electronics', 8900, 22, '4K webcam with dual microphones'],
  ['e-reader', 'E-Reader', 'electronics', 13900, 10, '6-inch glare-free e-ink reader'],
  ['running-shoes', 'Running Shoes', 'sports', 11900, 28, 'Lightweight road running shoes'],
  ['yoga-mat', 'Yoga Mat', 'sports', 3500, 45, '6 mm non-slip yoga mat'],
  ['water-bottle', 'Insulated Water Bottle', 'sports', 2500, 80, '750 ml stainless steel bottle'],
  ['dumbbells', 'Adjustable Dumbbells', 'sports', 29900, 8, 'Pair of 2-24 kg adjustable dumbbells'],
  ['bike-light', 'Bike Light Set', 'sports', 3900, 33, 'USB-rechargeable front and rear lights'],
  ['novel', 'The Long Afternoon', 'books', 1800, 100, 'A novel of one summer'],
  ['cookbook', 'Weeknight Cooking', 'books', 3200, 40, '120 recipes in 30 minutes or less'],
  ['field-guide', 'Field Guide to Birds', 'books', 2700, 25, 'Illustrated guide to 600 species'],
  ['notebook', 'Dotted Notebook', 'stationery', 1400, 120, 'A5 dotted notebook, 200 pages'],
  ['fountain-pen', 'Fountain Pen', 'stationery', 4200, 30, 'Steel nib fountain pen with converter'],
  ['desk-lamp', 'LED Desk Lamp', 'home', 4900, 26, 'Dimmable lamp with colour temperature control'],
  ['plant-pot', 'Ceramic Plant Pot', 'home', 2200, 55, '15 cm glazed pot with saucer'],
];

/** The demo products, stamped with `now`. */
export function demoCatalog(currency: string, now: string): Product[] {
  return DEMO.map(([id, name, category, priceMinor, stock, description]) => ({
    id,
    name,
    description,
    category,
    price: { amount_minor: priceMinor, currency },
    stock,
    created_at: now,
    updated_at: now,
  }));
}
