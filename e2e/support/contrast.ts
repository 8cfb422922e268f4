import type { Locator } from '@playwright/test';

export interface TextContrast {
  text: string;
  ratio: number;
}

/**
 * The WCAG contrast ratio of each text-bearing element under `root` against what is painted
 * behind it: the element's and its ancestors' backgrounds blended in order (translucent tints
 * included). Colours go through a canvas, which reads any CSS colour syntax (oklab, color-mix).
 */
export function textContrasts(root: Locator): Promise<TextContrast[]> {
  return root.evaluate((element) => {
    const context = document.createElement('canvas').getContext('2d', { willReadFrequently: true })!;
    const rgba = (css: string): [number, number, number, number] => {
      context.clearRect(0, 0, 1, 1);
      context.fillStyle = css;
      context.fillRect(0, 0, 1, 1);
      const [r, g, b, a] = context.getImageData(0, 0, 1, 1).data;
      return [r, g, b, a / 255];
    };
    const over = (top: [number, number, number, number], below: [number, number, number]): [number, number, number] =>
      [0, 1, 2].map((i) => top[i] * top[3] + below[i] * (1 - top[3])) as [number, number, number];
    const backdrop = (node: Element): [number, number, number] => {
      const chain: Element[] = [];
      for (let at: Element | null = node; at; at = at.parentElement) chain.unshift(at);
      return chain.reduce<[number, number, number]>((below, at) => over(rgba(getComputedStyle(at).backgroundColor), below), [255, 255, 255]);
    };
    const luminance = (rgb: [number, number, number]) => {
      const [r, g, b] = rgb.map((v) => {
        const c = v / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const texts = [element, ...element.querySelectorAll('*')].filter((node) =>
      [...node.childNodes].some((child) => child.nodeType === Node.TEXT_NODE && child.textContent?.trim()),
    );
    return texts.map((node) => {
      const background = backdrop(node);
      const foreground = over(rgba(getComputedStyle(node).color), background);
      const [light, dark] = [luminance(foreground), luminance(background)].sort((a, b) => b - a);
      return { text: (node.textContent ?? '').trim().slice(0, 40), ratio: Math.round(((light + 0.05) / (dark + 0.05)) * 100) / 100 };
    });
  });
}
