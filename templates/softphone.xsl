<?xml version="1.0" encoding="UTF-8"?>
<!-- The workbench's browser phone (static/softphone.js, docs/softphone.md):
     the switch that turns it on in this browser, its registration state,
     an incoming call with answer and reject, the call with hang-up. The
     texts softphone.js shows are the panel's data attributes; nothing here
     holds credentials (the script fetches them from /cc/api/softphone). -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:i="urn:cc:i18n" exclude-result-prefixes="i">
  <xsl:template name="softphone-panel">
    <xsl:param name="agent"/>
    <section id="softphone" class="softphone" data-agent-id="{$agent/@id}" data-state="off"
             aria-labelledby="sp-title"
             data-t-off="{i:t('sp.reg.off')}" data-t-connecting="{i:t('sp.reg.connecting')}"
             data-t-registered="{i:t('sp.reg.registered')}"
             data-t-unregistered="{i:t('sp.reg.unregistered')}"
             data-t-failed="{i:t('sp.reg.failed')}" data-t-no-account="{i:t('sp.no_account')}"
             data-t-no-media="{i:t('sp.no_media')}" data-t-unsupported="{i:t('sp.unsupported')}"
             data-t-ringing="{i:t('sp.ringing')}" data-t-talking="{i:t('sp.talking')}"
             data-t-held="{i:t('sp.held')}" data-t-ended="{i:t('sp.ended')}">
      <label class="sp-toggle">
        <input type="checkbox" id="sp-enable"/>
        <xsl:text> </xsl:text>
        <span id="sp-title"><xsl:value-of select="i:t('sp.title')"/></span>
      </label>
      <div id="sp-body" hidden="hidden">
        <div class="sp-row">
          <span class="muted"><xsl:value-of select="i:t('sp.reg')"/></span>
          <xsl:text> </xsl:text>
          <span id="sp-reg" class="badge reg-off" data-reg="off" role="status"></span>
        </div>
        <div id="sp-call" class="sp-row" data-call="none" hidden="hidden">
          <span id="sp-call-state"></span>
          <xsl:text> </xsl:text>
          <span id="sp-peer" class="mono"></span>
          <div class="sp-actions">
            <button type="button" class="btn btn-ok" id="sp-answer">
              <xsl:value-of select="i:t('sp.answer')"/>
            </button>
            <button type="button" class="btn btn-warn" id="sp-reject">
              <xsl:value-of select="i:t('sp.reject')"/>
            </button>
            <button type="button" class="btn btn-warn" id="sp-hangup">
              <xsl:value-of select="i:t('sp.hangup')"/>
            </button>
          </div>
        </div>
        <div id="sp-error" class="inline-error" role="alert"></div>
        <audio id="sp-audio" autoplay="autoplay"></audio>
      </div>
    </section>
  </xsl:template>
</xsl:stylesheet>
