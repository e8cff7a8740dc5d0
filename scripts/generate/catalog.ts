/**
 * The vocabulary generated products are drawn from: invented brands, a Shein-like category tree with
 * English and Arabic names, colours, sizes and detail attributes. Values only; no logic.
 */

export interface LocalizedName {
  readonly en: string;
  readonly ar: string;
}

export interface CategoryNode extends LocalizedName {
  readonly id: string;
}

export type SizeSystem = 'clothing' | 'shoes' | 'one-size';

export interface ProductKind {
  /** Root first, the leaf (the product's cat_id) last. */
  readonly categories: readonly CategoryNode[];
  readonly noun: LocalizedName;
  readonly sizes: SizeSystem;
  /** Typical sale price range in SAR (halalas), before discounts. */
  readonly priceRange: readonly [number, number];
  /** Detail attributes that make sense for the kind, by name in DETAIL_ATTRIBUTES. */
  readonly details: readonly string[];
}

const women: CategoryNode = { id: '4436', en: 'Women Fashion', ar: 'أزياء نسائية' };
const womenClothing: CategoryNode = { id: '2030', en: 'Women Clothing', ar: 'ملابس نسائية' };
const men: CategoryNode = { id: '4432', en: 'Men Fashion', ar: 'أزياء رجالية' };
const menClothing: CategoryNode = { id: '2026', en: 'Men Clothing', ar: 'ملابس رجالية' };
const shoes: CategoryNode = { id: '3180', en: 'Shoes', ar: 'أحذية' };
const accessories: CategoryNode = { id: '3636', en: 'Accessories', ar: 'إكسسوارات' };
const home: CategoryNode = { id: '5830', en: 'Home & Living', ar: 'المنزل والمعيشة' };

const CLOTHES = [
  'Composition',
  'Material',
  'Pattern Type',
  'Fit Type',
  'Fabric',
  'Care Instructions',
  'Style',
];

export const PRODUCT_KINDS: readonly ProductKind[] = [
  {
    categories: [
      women,
      womenClothing,
      { id: '12472', en: 'Dresses', ar: 'فساتين' },
      { id: '12478', en: 'Midi Dresses', ar: 'فساتين متوسطة الطول' },
    ],
    noun: { en: 'Midi Dress', ar: 'فستان متوسط الطول' },
    sizes: 'clothing',
    priceRange: [4500, 18000],
    details: [...CLOTHES, 'Sleeve Length', 'Neckline', 'Length', 'Waist Line', 'Details'],
  },
  {
    categories: [
      women,
      womenClothing,
      { id: '12472', en: 'Dresses', ar: 'فساتين' },
      { id: '31002', en: 'Maxi Dresses', ar: 'فساتين ماكسي' },
    ],
    noun: { en: 'Maxi Dress', ar: 'فستان ماكسي' },
    sizes: 'clothing',
    priceRange: [6000, 25000],
    details: [...CLOTHES, 'Sleeve Length', 'Neckline', 'Length', 'Details'],
  },
  {
    categories: [
      women,
      womenClothing,
      { id: '1733', en: 'Tops', ar: 'بلوزات' },
      { id: '1738', en: 'T-Shirts', ar: 'تيشيرتات' },
    ],
    noun: { en: 'T-Shirt', ar: 'تيشيرت' },
    sizes: 'clothing',
    priceRange: [1500, 6000],
    details: [...CLOTHES, 'Sleeve Length', 'Neckline', 'Sheer'],
  },
  {
    categories: [
      women,
      womenClothing,
      { id: '1767', en: 'Bottoms', ar: 'ملابس سفلية' },
      { id: '1934', en: 'Jeans', ar: 'جينز' },
    ],
    noun: { en: 'Wide Leg Jeans', ar: 'بنطال جينز واسع' },
    sizes: 'clothing',
    priceRange: [5500, 16000],
    details: [...CLOTHES, 'Length', 'Waist Line', 'Closure Type'],
  },
  {
    categories: [
      women,
      womenClothing,
      { id: '2223', en: 'Knitwear', ar: 'ملابس محبوكة' },
      { id: '31020', en: 'Cardigans', ar: 'كارديغان' },
    ],
    noun: { en: 'Knit Cardigan', ar: 'كارديغان محبوك' },
    sizes: 'clothing',
    priceRange: [5000, 15000],
    details: [...CLOTHES, 'Sleeve Length', 'Neckline', 'Closure Type'],
  },
  {
    categories: [
      men,
      menClothing,
      { id: '1969', en: 'Men Tops', ar: 'قمصان رجالية' },
      { id: '1980', en: 'Men Shirts', ar: 'قمصان' },
    ],
    noun: { en: 'Men Casual Shirt', ar: 'قميص رجالي كاجوال' },
    sizes: 'clothing',
    priceRange: [3500, 12000],
    details: [...CLOTHES, 'Sleeve Length', 'Neckline', 'Closure Type'],
  },
  {
    categories: [
      men,
      menClothing,
      { id: '1978', en: 'Men Bottoms', ar: 'ملابس سفلية رجالية' },
      { id: '1990', en: 'Men Pants', ar: 'بناطيل رجالية' },
    ],
    noun: { en: 'Men Cargo Pants', ar: 'بنطال كارجو رجالي' },
    sizes: 'clothing',
    priceRange: [4500, 14000],
    details: [...CLOTHES, 'Length', 'Waist Line', 'Closure Type'],
  },
  {
    categories: [
      shoes,
      { id: '1745', en: 'Women Shoes', ar: 'أحذية نسائية' },
      { id: '3205', en: 'Sneakers', ar: 'أحذية رياضية' },
    ],
    noun: { en: 'Lace-up Sneakers', ar: 'حذاء رياضي برباط' },
    sizes: 'shoes',
    priceRange: [7000, 30000],
    details: [
      'Upper Material',
      'Lining Material',
      'Insole Material',
      'Outsole Material',
      'Toe',
      'Closure Type',
      'Style',
    ],
  },
  {
    categories: [
      shoes,
      { id: '1745', en: 'Women Shoes', ar: 'أحذية نسائية' },
      { id: '3209', en: 'Sandals', ar: 'صنادل' },
    ],
    noun: { en: 'Flat Sandals', ar: 'صندل مسطح' },
    sizes: 'shoes',
    priceRange: [3000, 12000],
    details: ['Upper Material', 'Insole Material', 'Outsole Material', 'Toe', 'Style'],
  },
  {
    categories: [
      accessories,
      { id: '2157', en: 'Bags', ar: 'حقائب' },
      { id: '2001', en: 'Top Handle Bags', ar: 'حقائب بمقبض علوي' },
    ],
    noun: { en: 'Mini Top Handle Bag', ar: 'حقيبة يد صغيرة' },
    sizes: 'one-size',
    priceRange: [4000, 50000],
    details: ['Material', 'Bag Size', 'Closure Type', 'Strap Type', 'Pattern Type', 'Style'],
  },
  {
    categories: [
      accessories,
      { id: '1765', en: 'Eyewear', ar: 'نظارات' },
      { id: '2002', en: 'Sunglasses', ar: 'نظارات شمسية' },
    ],
    noun: { en: 'Round Frame Sunglasses', ar: 'نظارة شمسية بإطار دائري' },
    sizes: 'one-size',
    priceRange: [1200, 9000],
    details: ['Frame Material', 'Lens Material', 'Style', 'Pattern Type'],
  },
  {
    categories: [
      accessories,
      { id: '1766', en: 'Scarves', ar: 'أوشحة' },
      { id: '2010', en: 'Silk Scarves', ar: 'أوشحة حريرية' },
    ],
    noun: { en: 'Printed Square Scarf', ar: 'وشاح مربع مطبوع' },
    sizes: 'one-size',
    priceRange: [1500, 8000],
    details: ['Material', 'Composition', 'Pattern Type', 'Care Instructions', 'Style'],
  },
  {
    categories: [
      home,
      { id: '2375', en: 'Home Textile', ar: 'منسوجات منزلية' },
      { id: '2401', en: 'Cushion Covers', ar: 'أغطية وسائد' },
    ],
    noun: { en: 'Cushion Cover', ar: 'غطاء وسادة' },
    sizes: 'one-size',
    priceRange: [900, 4500],
    details: ['Material', 'Composition', 'Pattern Type', 'Care Instructions'],
  },
];

export const BRANDS: readonly string[] = [
  'LUMA',
  'SILKA',
  'NOVELLE',
  'ZAHRA',
  'MIRAJ',
  'OASIS LANE',
  'DUNE & CO',
  'KAYAN',
  'NOOR STUDIO',
  'ATLAS BASICS',
];

export const COLOURS: readonly LocalizedName[] = [
  { en: 'Black', ar: 'أسود' },
  { en: 'White', ar: 'أبيض' },
  { en: 'Red', ar: 'أحمر' },
  { en: 'Navy Blue', ar: 'أزرق كحلي' },
  { en: 'Olive Green', ar: 'أخضر زيتوني' },
  { en: 'Beige', ar: 'بيج' },
  { en: 'Pink', ar: 'وردي' },
  { en: 'Brown', ar: 'بني' },
  { en: 'Grey', ar: 'رمادي' },
  { en: 'Burgundy', ar: 'عنابي' },
  { en: 'Khaki', ar: 'كاكي' },
  { en: 'Multicolor', ar: 'متعدد الألوان' },
];

/** The shop's order of each size system (Shein's skc_sale_attr order). */
export const SIZE_SYSTEMS: Readonly<Record<Exclude<SizeSystem, 'one-size'>, readonly string[]>> = {
  clothing: ['XS', 'S', 'M', 'L', 'XL', 'XXL', '3XL'],
  shoes: ['36', '37', '38', '39', '40', '41', '42', '43', '44'],
};

/** Body measurements the size guide lists per clothing size, in cm at size XS, and the step per size. */
export const SIZE_MEASUREMENTS: readonly { name: LocalizedName; xs: number; step: number }[] = [
  { name: { en: 'Bust', ar: 'محيط الصدر' }, xs: 80, step: 4 },
  { name: { en: 'Waist Size', ar: 'محيط الخصر' }, xs: 62, step: 4 },
  { name: { en: 'Hip Size', ar: 'محيط الورك' }, xs: 86, step: 4 },
  { name: { en: 'Length', ar: 'الطول' }, xs: 96, step: 1.5 },
  { name: { en: 'Shoulder', ar: 'الكتف' }, xs: 35, step: 1 },
  { name: { en: 'Sleeve Length', ar: 'طول الأكمام' }, xs: 58, step: 1 },
];

export interface DetailAttribute {
  readonly id: number;
  readonly name: LocalizedName;
  readonly values: readonly LocalizedName[];
  /** Several values at once (Composition: 70% Cotton, 30% Linen). */
  readonly multiValued?: boolean;
}

export const DETAIL_ATTRIBUTES: Readonly<Record<string, DetailAttribute>> = {
  Composition: {
    id: 62,
    name: { en: 'Composition', ar: 'تكوين' },
    multiValued: true,
    values: [
      { en: '95% Polyester', ar: '95% بوليستر' },
      { en: '5% Elastane', ar: '5% إيلاستين' },
      { en: '70% Cotton', ar: '70% قطن' },
      { en: '30% Linen', ar: '30% كتان' },
      { en: '100% Viscose', ar: '100% فسكوز' },
    ],
  },
  Material: {
    id: 160,
    name: { en: 'Material', ar: 'المواد' },
    values: [
      { en: 'Knitted Fabric', ar: 'قماش محبوك' },
      { en: 'Woven Fabric', ar: 'قماش منسوج' },
      { en: 'PU Leather', ar: 'جلد صناعي' },
      { en: 'Polyester', ar: 'بوليستر' },
    ],
  },
  'Pattern Type': {
    id: 66,
    name: { en: 'Pattern Type', ar: 'نوع النمط' },
    values: [
      { en: 'Plain', ar: 'سادة' },
      { en: 'Floral', ar: 'زهري' },
      { en: 'Striped', ar: 'مخطط' },
      { en: 'Geometric', ar: 'هندسي' },
    ],
  },
  'Fit Type': {
    id: 1000069,
    name: { en: 'Fit Type', ar: 'نوع القصة' },
    values: [
      { en: 'Regular Fit', ar: 'قصة عادية' },
      { en: 'Slim Fit', ar: 'قصة ضيقة' },
      { en: 'Oversized', ar: 'فضفاض' },
    ],
  },
  Fabric: {
    id: 1000070,
    name: { en: 'Fabric', ar: 'القماش' },
    values: [
      { en: 'Slight Stretch', ar: 'مطاطية خفيفة' },
      { en: 'Non-Stretch', ar: 'غير مطاطي' },
      { en: 'High Stretch', ar: 'مطاطية عالية' },
    ],
  },
  'Care Instructions': {
    id: 1000075,
    name: { en: 'Care Instructions', ar: 'تعليمات العناية' },
    values: [
      { en: 'Machine wash, do not dry clean', ar: 'غسيل بالغسالة، لا يُنظف بالبخار' },
      { en: 'Hand wash or professional dry clean', ar: 'غسيل يدوي أو تنظيف جاف احترافي' },
    ],
  },
  Style: {
    id: 1000074,
    name: { en: 'Style', ar: 'الأسلوب' },
    values: [
      { en: 'Casual', ar: 'كاجوال' },
      { en: 'Elegant', ar: 'أنيق' },
      { en: 'Boho', ar: 'بوهيمي' },
      { en: 'Modest', ar: 'محتشم' },
    ],
  },
  'Sleeve Length': {
    id: 90,
    name: { en: 'Sleeve Length', ar: 'طول الأكمام' },
    values: [
      { en: 'Short Sleeve', ar: 'أكمام قصيرة' },
      { en: 'Long Sleeve', ar: 'أكمام طويلة' },
      { en: 'Sleeveless', ar: 'بدون أكمام' },
    ],
  },
  Neckline: {
    id: 101,
    name: { en: 'Neckline', ar: 'خط العنق' },
    values: [
      { en: 'Round Neck', ar: 'ياقة دائرية' },
      { en: 'V Neck', ar: 'ياقة على شكل V' },
      { en: 'Collar', ar: 'ياقة' },
    ],
  },
  Length: {
    id: 48,
    name: { en: 'Length', ar: 'الطول' },
    values: [
      { en: 'Midi', ar: 'متوسط' },
      { en: 'Maxi', ar: 'طويل' },
      { en: 'Regular', ar: 'عادي' },
    ],
  },
  'Waist Line': {
    id: 1000080,
    name: { en: 'Waist Line', ar: 'خط الخصر' },
    values: [
      { en: 'High Waist', ar: 'خصر عالٍ' },
      { en: 'Natural', ar: 'طبيعي' },
    ],
  },
  Details: {
    id: 31,
    name: { en: 'Details', ar: 'تفاصيل' },
    values: [
      { en: 'Ruffle Hem', ar: 'حافة مكشكشة' },
      { en: 'Button Front', ar: 'أزرار أمامية' },
      { en: 'Split Thigh', ar: 'فتحة جانبية' },
    ],
  },
  Sheer: {
    id: 1000071,
    name: { en: 'Sheer', ar: 'شفاف' },
    values: [
      { en: 'No', ar: 'لا' },
      { en: 'Semi-Sheer', ar: 'شبه شفاف' },
    ],
  },
  'Closure Type': {
    id: 1000072,
    name: { en: 'Closure Type', ar: 'نوع الإغلاق' },
    values: [
      { en: 'Zipper', ar: 'سحاب' },
      { en: 'Button', ar: 'زر' },
      { en: 'Lace-up', ar: 'رباط' },
      { en: 'Pullover', ar: 'بدون إغلاق' },
    ],
  },
  'Upper Material': {
    id: 1000101,
    name: { en: 'Upper Material', ar: 'مادة الجزء العلوي' },
    values: [
      { en: 'PU Leather', ar: 'جلد صناعي' },
      { en: 'Fabric', ar: 'قماش' },
    ],
  },
  'Lining Material': {
    id: 1000102,
    name: { en: 'Lining Material', ar: 'مادة البطانة' },
    values: [{ en: 'Fabric', ar: 'قماش' }],
  },
  'Insole Material': {
    id: 1000103,
    name: { en: 'Insole Material', ar: 'مادة النعل الداخلي' },
    values: [
      { en: 'PU', ar: 'بولي يوريثان' },
      { en: 'EVA', ar: 'إيفا' },
    ],
  },
  'Outsole Material': {
    id: 1000104,
    name: { en: 'Outsole Material', ar: 'مادة النعل الخارجي' },
    values: [
      { en: 'Rubber', ar: 'مطاط' },
      { en: 'TPR', ar: 'مطاط حراري' },
    ],
  },
  Toe: {
    id: 1000105,
    name: { en: 'Toe', ar: 'مقدمة الحذاء' },
    values: [
      { en: 'Round Toe', ar: 'مقدمة دائرية' },
      { en: 'Open Toe', ar: 'مقدمة مفتوحة' },
    ],
  },
  'Bag Size': {
    id: 1000110,
    name: { en: 'Bag Size', ar: 'حجم الحقيبة' },
    values: [
      { en: 'Mini', ar: 'صغير جداً' },
      { en: 'Small', ar: 'صغير' },
      { en: 'Medium', ar: 'متوسط' },
    ],
  },
  'Strap Type': {
    id: 1000111,
    name: { en: 'Strap Type', ar: 'نوع الحزام' },
    values: [
      { en: 'Detachable', ar: 'قابل للفصل' },
      { en: 'Double Handle', ar: 'مقبض مزدوج' },
    ],
  },
  'Frame Material': {
    id: 1000120,
    name: { en: 'Frame Material', ar: 'مادة الإطار' },
    values: [
      { en: 'Metal', ar: 'معدن' },
      { en: 'Plastic', ar: 'بلاستيك' },
    ],
  },
  'Lens Material': {
    id: 1000121,
    name: { en: 'Lens Material', ar: 'مادة العدسة' },
    values: [
      { en: 'PC', ar: 'بولي كربونات' },
      { en: 'TAC', ar: 'تاك' },
    ],
  },
};

/** Fixed Arabic notices every app response carries; part of what makes a real response ~100 KB. */
export const SHOPPING_SECURITY = {
  title: 'أمن التسوق',
  items: ['مدفوعات آمنة', 'حماية الخصوصية', 'سياسة الإرجاع السهلة'],
  detail: [
    'يتم تأمين مدفوعاتك من خلال شهادات أمان الدفع العالمية ولا نشارك بيانات بطاقتك مع أطراف ثالثة.',
    'نحن نحمي خصوصيتك ونحافظ على أمان معلوماتك الشخصية وفقاً لسياسة الخصوصية الخاصة بنا.',
    'يمكنك إرجاع المنتجات المؤهلة خلال 30 يوماً من تاريخ الاستلام وفقاً لسياسة الإرجاع.',
  ],
};
