import { useEffect, useState } from 'react';
import type { Language } from '../../kiosk-config/i18n.js';

/**
 * Voice guidance for elderly mode: spoken prompts with the Web Speech API when the browser has a voice for the
 * language. The prompt is always also on screen; when no voice exists the top bar says so (silent, but visibly).
 */
export type VoiceStatus = 'off' | 'speaking' | 'unavailable';

const BCP47: Record<Language, string[]> = { 'zh-CN': ['zh-CN', 'cmn', 'zh'], 'zh-TW': ['zh-TW', 'zh-HK', 'yue', 'zh'], en: ['en'] };

function voiceFor(lang: Language): SpeechSynthesisVoice | undefined {
  const synth = globalThis.speechSynthesis;
  if (!synth) return undefined;
  const voices = synth.getVoices();
  for (const prefix of BCP47[lang]) {
    const v = voices.find((x) => x.lang.replace('_', '-').toLowerCase().startsWith(prefix.toLowerCase()));
    if (v) return v;
  }
  return undefined;
}

/** Speaks `prompt` whenever it changes while `enabled`; returns whether speech is available. */
export function useVoice(enabled: boolean, lang: Language, prompt: string): VoiceStatus {
  const [voicesChanged, setVoicesChanged] = useState(0);
  useEffect(() => {
    const synth = globalThis.speechSynthesis;
    if (!synth) return;
    const onChange = () => setVoicesChanged((n) => n + 1);
    synth.addEventListener?.('voiceschanged', onChange);
    return () => synth.removeEventListener?.('voiceschanged', onChange);
  }, []);
  const voice = enabled ? voiceFor(lang) : undefined;
  useEffect(() => {
    if (!enabled || !voice || prompt === '') return;
    const synth = globalThis.speechSynthesis;
    synth.cancel();
    const u = new SpeechSynthesisUtterance(prompt);
    u.voice = voice;
    u.lang = voice.lang;
    u.rate = 0.9;
    synth.speak(u);
    return () => synth.cancel();
  }, [enabled, voice, prompt, voicesChanged]);
  if (!enabled) return 'off';
  return voice ? 'speaking' : 'unavailable';
}
